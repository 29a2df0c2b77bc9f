from assistant.candidates import candidates
from assistant.hits import Hit
from assistant.question import analyse
from assistant.scoring import score
from assistant.selection import choose
from tests.assistant.kb import first_chosen_in


def test_another_documents_figure_is_on_topic_by_the_heading_it_sits_under() -> None:
    """考核多少分算合格: the syllabus says 总评70分及以上为合格 under 五、考核评价 without repeating 考核; its heading
    says what the sentence is about, so it is quoted beside the plan's 总评60分及以上为合格."""
    from assistant.hits import Retrieval
    from assistant.scoring import topic_heading
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, text: str, meta: dict, section: str, score: float) -> Hit:
        return Hit(cid, text, {**meta, "ordinal": 9, "section": section}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    q = "考核多少分算合格，多少分算优秀？"
    hits = [made("plan:9", "学员考核分两部分，总评60分及以上为合格，90分及以上为优秀。", PLAN, "七、考核评价", 0.8),
            made("guide:9", "总评70分及以上为合格，85分及以上为优秀。", GUIDE, "五、考核评价", 0.78)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[0].startswith("学员考核分两部分")
    assert "总评70分及以上为合格，85分及以上为优秀。" in texts
    # An FAQ entry's own question restates a teacher's; it is no topic of the sentence under it.
    assert topic_heading("八、训后任务 > 25. 训后跟踪指导持续多长时间？") == "八、训后任务"
    assert topic_heading("五、考核评价 > （二）参训教师考核") == "五、考核评价 > （二）参训教师考核"


def test_an_faq_entry_whose_question_is_the_teachers_is_answered_by_its_reply() -> None:
    """学分多久能查到: the entry 15. 学分多久能查到？ replies 培训机构在项目结束后30日内完成登记, without the word 学分;
    学分在一个周期内累计有效 repeats 学分 and is closer to the embedder, but answers how long credits stay valid."""
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def first(faq_heading: str) -> str:
        reply = "答：培训机构在项目结束后30日内完成登记。"
        other = "学分在一个周期内累计有效。"
        faq = Hit("guide:9", reply, {**GUIDE, "ordinal": 9, "section": f"五、学分与证书 > {faq_heading}"},
                  dense=0.9, score=0.9, sentence=0.9, sentences=[(s, e, 0.9) for s, e in sentences(reply)])
        bank = Hit("plan:9", other, {**PLAN, "ordinal": 9, "section": "四、学分管理 > （三）学分银行"},
                   dense=0.92, score=0.7, sentence=0.98, sentences=[(s, e, 0.98) for s, e in sentences(other)])
        q = analyse("学分多久能查到")
        r = Retrieval(query=q.text, terms=q.terms, hits=[faq, bank], strength=0.9, question=q, documents=CATALOGUE)
        return choose(q, score(q, r, candidates(r)))[0].text

    assert first("15. 学分多久能查到？在哪里查？") == "答：培训机构在项目结束后30日内完成登记。"
    assert first("15. 证书什么时候发？") == "学分在一个周期内累计有效。", "an entry on another question gets no help"


def test_the_name_of_a_documents_whole_subject_is_said_of_every_sentence_in_it() -> None:
    """国培计划重点支持哪些地区: 强化“国培计划”的示范引领作用 repeats the programme's name, which a plan for it (某省
    “国培计划”实施规划) says of all its sentences; 重点支持中西部欠发达地区 answers."""
    text = "强化“国培计划”的示范引领作用，带动地方开展各级培训。实施中西部骨干项目，重点支持中西部欠发达地区农村学校。"
    assert first_chosen_in(text, "国培计划重点支持哪些地区？") == "实施中西部骨干项目，重点支持中西部欠发达地区农村学校。"



def test_words_most_passages_use_are_said_of_every_sentence() -> None:
    """承训机构要承担哪些责任, in a knowledge base where most passages say 培训: 加强培训管理，提升培训质量 shares only
    培训 with it; 培训机构负责需求调研和学员考核 says what the institution is responsible for."""
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "各地要加强培训管理，提升培训质量，推动培训创新。机构负责需求调研、方案研制和学员考核。"
    h = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "五、职责"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(s, e, 0.93) for s, e in sentences(text)])
    q = analyse("培训机构负责什么？")

    def first(common: tuple[str, ...]) -> str:
        r = Retrieval(query=q.text, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE,
                      common=common)
        return choose(q, score(q, r, candidates(r)))[0].text

    assert first(("培训",)) == "机构负责需求调研、方案研制和学员考核。"


def test_a_bare_list_item_is_read_under_the_heading_it_is_listed_in() -> None:
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    def made(cid: str, text: str, section: str, score: float) -> Hit:
        return Hit(cid, text, {**GUIDE, "ordinal": 9, "section": section}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    q = "研修班推荐了哪些书要读？"
    hits = [made("guide:8", "七、推荐阅读书目\n- 《给教师的建议》\n- 《静悄悄的革命》", "七、推荐阅读书目", 0.8),
            made("guide:9", "三、研修内容\n课程围绕课堂观察和读书分享开展。", "三、研修内容", 0.78)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[0].startswith("- 《")


def test_every_line_of_a_one_chunk_document_is_about_its_title() -> None:
    """青山县2025年国培送教下乡安排 is one chunk of 一、时间：… 二、地点：…; 送教下乡在哪个学校 shares no word with
    二、地点：青山县第三中学。 but the title, which says what each line is about."""
    from assistant.catalogue import build_catalogue
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from indexer.store import StoredChunk

    meta = {"doc_id": "sj", "title": "青山县2025年国培送教下乡安排", "doc_number": "", "issuers": "", "year": 2025,
            "date": "", "kind": "resource", "ordinal": 0, "section": "三、对象：全县乡村小学数学教师"}
    text = "青山县2025年国培送教下乡安排\n一、时间：2025年10月。\n二、地点：青山县第三中学。\n三、对象：全县乡村小学数学教师。"
    chunk = StoredChunk("sj:0", text, meta)
    q = "送教下乡在哪个学校？"
    hit = Hit(chunk.id, text, dict(meta), dense=0.7, score=1.8, sentence=0.7,
              sentences=[(s, e, 0.7) for s, e in sentences(text)])
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[hit], strength=0.9, question=analyse(q),
                  documents=build_catalogue([chunk]))
    ranked = score(analyse(q), r, candidates(r))
    place = next(s for s in ranked if s.text.startswith("二、地点"))
    assert place.cover > 0 and choose(analyse(q), ranked)[0] is place, [(s.text, s.cover) for s in ranked]


def test_the_numbered_name_a_line_opens_with_says_what_its_sentence_is_about() -> None:
    """1. 集体备课。各教研组每两周至少开展一次。: 集体备课多久一次 shares no word with the sentence but the name before
    it on its line, which a passage named after a later sibling (4. 线上自主选学) does not show."""
    from assistant.catalogue import build_catalogue
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from indexer.store import StoredChunk

    meta = {"doc_id": "p", "title": "某县校本研修实施方案", "doc_number": "", "issuers": "", "year": 2025, "date": "",
            "kind": "resource", "ordinal": 3, "section": "三、研修形式 > 2. 课例研讨"}
    text = "1. 集体备课。各教研组每两周至少开展一次。\n2. 课例研讨。每位教师每学期至少上一节研讨课。"
    chunks = [StoredChunk("p:3", text, meta), *(StoredChunk(f"p:{i}", "其他内容。", {**meta, "ordinal": i}) for i in range(3))]
    q = "集体备课多久搞一次？"
    hit = Hit("p:3", text, dict(meta), dense=0.8, score=1.5, sentence=0.8,
              sentences=[(s, e, 0.8) for s, e in sentences(text)])
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[hit], strength=0.9, question=analyse(q),
                  documents=build_catalogue(chunks))
    ranked = score(analyse(q), r, candidates(r))
    assert ranked[0].text == "各教研组每两周至少开展一次。", [(s.text, s.cover) for s in ranked]


def test_an_exception_pointing_back_at_a_limit_does_not_say_limit_of_its_own() -> None:
    """参加不同类型的项目不受此限制: 限制 there is the rule before it, so it covers the question's 限制 no more than
    a sentence that never says it."""
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "三年内参加过同类项目的教师原则上不再推荐。参加不同类型的项目不受此限制。"
    h = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "资格"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(s, e, 0.93) for s, e in sentences(text)])
    q = analyse("参加项目有限制吗？")
    r = Retrieval(query=q.text, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    covers = {s.text: s.cover for s in score(q, r, candidates(r))}
    assert covers["参加不同类型的项目不受此限制。"] == covers["三年内参加过同类项目的教师原则上不再推荐。"]
