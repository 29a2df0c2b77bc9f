from assistant.question_reading import _query_terms, _said


def test_a_teachers_word_also_looks_up_the_documents_word_at_a_synonyms_weight():
    terms, boost = _query_terms(("路费", "报销"), {"路费": ("交通费",)})
    assert terms[:2] == ("路费", "报销") and "交通费" in terms
    assert boost is not None and boost["交通费"] == 0.7 and "路费" not in boost
    assert _query_terms(("路费",), {}) == (("路费",), None)


def test_the_pieces_of_an_a_not_a_question_are_not_looked_up_by_their_synonyms():
    # 占比够不够 asks whether; 不够 in it states no shortfall to find as 未达标.
    assert _said(("实践", "占", "不够", "够不够")) == ("实践", "占", "够不够")
    assert _said(("学分", "不够", "影响")) == ("学分", "不够", "影响")


def test_a_comparison_of_documents_is_ranked_by_its_topic_not_by_the_names_of_the_documents():
    from assistant.question_reading import topic_terms
    from tests.assistant.kb import CATALOGUE

    terms = ("国家", "通知", "省", "方案", "经费")
    assert topic_terms(terms, ("notice", "plan"), CATALOGUE) == ("经费",)
    assert topic_terms(("省", "方案", "经费"), ("plan",), CATALOGUE) == ("省", "方案", "经费")  # one document: kept
    assert topic_terms(("省", "方案"), ("notice", "plan"), CATALOGUE) == ("省", "方案")  # nothing else to rank by


def test_a_named_document_is_silent_on_what_most_of_the_question_is_about() -> None:
    from assistant.passage_index import PassageIndex
    from assistant.question import analyse
    from assistant.question_reading import _unsaid
    from indexer.store import StoredChunk
    from indexer.tokenizer import index_terms

    def chunk(doc: str, text: str) -> StoredChunk:
        return StoredChunk(f"{doc}:v1:00000", text, {"doc_id": doc, "title": doc, "ordinal": 0, "section": "一、总则",
                                                     "lex": " ".join(index_terms(text)), "kind": "resource"})

    index = PassageIndex([chunk("notice", "推进教师培训改革，完善混合式培训，强化学分银行建设。"),
                          chunk("plan", "送教下乡培训项目面向乡村学校，以县为单位组织实施。")])
    q = analyse("国家通知里有没有提到送教下乡？")
    assert set(_unsaid(q, ("notice",), index)) >= {"送教", "下乡"}
    assert _unsaid(q, ("plan",), index) == ()  # the plan speaks of it
    assert _unsaid(analyse("国家通知对送教下乡有什么要求？"), ("notice",), index) == ()  # not asked whether


def test_a_term_one_document_alone_uses_in_its_title_names_that_document() -> None:
    """访名校项目的经费比例 asks the 访名校 rules; a workshop budget's 40% elsewhere is no answer to it."""
    from assistant.passage_index import PassageIndex
    from assistant.question import analyse
    from assistant.question_reading import _named_by_own_term
    from indexer.store import StoredChunk
    from indexer.tokenizer import index_terms

    def chunk(doc: str, title: str, text: str) -> StoredChunk:
        return StoredChunk(f"{doc}:v1:00000", f"{title}\n{text}", {
            "doc_id": doc, "title": title, "ordinal": 0, "section": "一、总则",
            "lex": " ".join(index_terms(f"{title}\n{text}")), "kind": "resource"})

    index = PassageIndex([chunk("visit", "乡村教师访名校项目实施细则", "参训教师到城市优质学校跟岗学习两周。"),
                          chunk("workshop", "骨干教师工作坊管理办法", "工作坊经费中专家讲座占40%。"),
                          chunk("notice", "关于做好教师培训工作的通知", "按公用经费的5%安排教师培训经费。")])
    assert _named_by_own_term(analyse("访名校项目的经费比例是多少？").focus, index) == ("visit",)
    # 教师 is in every title and text; 经费 is used by two documents: neither names one.
    assert _named_by_own_term(analyse("教师培训经费比例是多少？").focus, index) == ()


def test_a_programme_or_policy_the_knowledge_base_never_names_is_alien() -> None:
    from assistant.passage_index import PassageIndex
    from assistant.question_reading import _alien
    from indexer.store import StoredChunk
    from indexer.tokenizer import index_terms

    text = "推进教师培训改革，完善混合式培训，送教下乡培训项目面向乡村学校。"
    index = PassageIndex([StoredChunk("notice:v1:00000", text, {
        "doc_id": "notice", "title": "“国培计划”实施规划", "ordinal": 0, "section": "一、总则",
        "lex": " ".join(index_terms(text)), "kind": "policy"})])
    assert _alien("强师计划", index) and _alien("双减", index)
    assert not _alien("送教下乡", index), "its words are the documents' words"
    assert not _alien("国培计划", index), "a title names it"
