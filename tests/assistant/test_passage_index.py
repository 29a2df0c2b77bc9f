import pytest

from assistant.passage_index import PassageIndex, chunk_doc_id, matches
from indexer.store import StoredChunk


def _chunk(doc: str, n: int, text: str, lex: str, version: str = "v1") -> StoredChunk:
    return StoredChunk(f"{doc}:{version}:{n:05d}", text, {"doc_id": doc, "title": f"《{doc}》", "ordinal": n,
                                                    "section": "一、总则", "lex": lex, "kind": "resource"})


def test_matches_supports_the_where_subset():
    meta = {"kind": "policy", "year": 2021, "subject": ""}
    assert matches(meta, {"kind": "policy"})
    assert matches(meta, {"$and": [{"kind": "policy"}, {"year": {"$in": [2020, 2021]}}]})
    assert not matches(meta, {"$or": [{"kind": "resource"}, {"year": {"$ne": 2021}}]})


def test_an_unknown_filter_operator_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="不支持的过滤条件"):
        matches({"year": 2021}, {"year": {"$gt": 2020}})


def test_a_document_written_or_removed_leaves_the_old_index_as_it_was() -> None:
    old = PassageIndex([_chunk("a", 0, "校本研修每学年不少于72学时。", "校本 研修 学年 学时"),
                        _chunk("b", 0, "培训经费按5%安排。", "培训 经费 安排")])
    new = old.with_document("a", [_chunk("a", 0, "校本研修每学年不少于48学时。", "校本 研修 学年 学时 四十八", "v2")])
    assert old.frequency("四十八") == 0 and new.frequency("四十八") == 1
    assert [c.text for c in new.chunks if c.id in new.position and c.metadata["doc_id"] == "a"] == [
        "校本研修每学年不少于48学时。"]
    gone = new.with_document("b", [])
    assert gone.frequency("经费") == 0 and new.frequency("经费") == 1
    assert [d.doc_id for d in gone.catalogue] == ["a"]
    assert chunk_doc_id("a:v1:00000") == "a" and chunk_doc_id("plain") == "plain"


def test_a_term_is_known_by_its_own_words_and_the_projects_synonyms_not_the_general_thesaurus() -> None:
    index = PassageIndex([_chunk("a", 0, "学员须提交结业证明并按规定支付培训费。", "学员 提交 结业 证明 规定 支付 培训费")])
    assert index.knows("证明") and index.knows("结业证明")
    assert index.knows("学费"), "学费 is the project's own name for 培训费"
    assert not index.knows("证件"), "词林 groups 证件 with 证明, but no document speaks of 证件"


def test_what_one_document_uses_is_asked_of_that_document_alone() -> None:
    index = PassageIndex([_chunk("notice", 0, "强化培训学分银行建设。", "强化 培训 学分 银行 建设"),
                          _chunk("guide", 0, "青年教师实行青蓝结对。", "青年 教师 实行 青蓝 结对 青蓝结对")])
    assert index.document_uses("guide", "青蓝结对") and index.document_uses("guide", "师徒")  # the project's synonym
    assert not index.document_uses("notice", "青蓝结对") and not index.document_uses("notice", "师徒")
    assert index.document_uses("notice", "学分银行"), "all of its dictionary sub-words are there"


def test_the_passages_after_one_are_those_of_its_section_in_order() -> None:
    def sec(doc: str, n: int, section: str) -> StoredChunk:
        c = _chunk(doc, n, f"第{n}段", "x")
        return StoredChunk(c.id, c.text, {**c.metadata, "section": section})

    index = PassageIndex([sec("a", 3, "二、任务"), sec("a", 1, "二、任务"), sec("a", 2, "二、任务"),
                          sec("a", 4, "三、考核"), sec("b", 2, "二、任务")])
    assert [c.id for c in index.section_after("a:v1:00001")] == ["a:v1:00002", "a:v1:00003"]
    assert index.section_after("a:v1:00003") == [] and index.section_after("nope") == []
    # A list's short last item read as a heading of its own (二、任务 > 5. 涵养情怀) is still in the section.
    index = PassageIndex([sec("a", 1, "二、任务"), sec("a", 2, "二、任务 > 5. 涵养情怀"), sec("a", 3, "三、考核")])
    assert [c.id for c in index.section_after("a:v1:00001")] == ["a:v1:00002"]


def test_a_passage_whose_last_line_is_a_list_item_or_opens_a_list_is_continued() -> None:
    from assistant.hits import Hit
    from assistant.retrieval import _continued

    def sec(n: int, text: str) -> StoredChunk:
        c = _chunk("a", n, text, "x")
        return StoredChunk(c.id, c.text, {**c.metadata, "section": "四、任务"})

    chunks = [sec(1, "完成以下任务：\n1. 上研究课。\n"), sec(2, "2. 交反思。\n"), sec(3, "本节到此为止。")]
    index = PassageIndex(chunks)
    hits = [Hit(c.id, c.text, dict(c.metadata)) for c in chunks]
    continued = _continued(hits, index)
    assert [h.id for h in continued["a:v1:00001"]] == ["a:v1:00002", "a:v1:00003"]
    assert "a:v1:00003" not in continued  # ends in prose: nothing runs on
