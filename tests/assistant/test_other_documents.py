from assistant.candidates import candidates
from assistant.hits import Hit
from assistant.question import analyse
from assistant.scoring import score
from assistant.selection import choose
from tests.assistant.kb import retrieval


def test_each_document_that_answers_is_quoted_once() -> None:
    q = "中小学按公用经费的多少安排培训经费？"
    r = retrieval(q, "notice:1", "plan:2")
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)))
    assert {s.hit.doc_id for s in chosen} == {"notice", "plan"}


def test_beside_a_figure_another_document_is_quoted_for_the_same_kind_of_figure() -> None:
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, text: str, meta: dict, score: float) -> Hit:
        return Hit(cid, text, {**meta, "ordinal": 9, "section": "学分"}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    q = "校本研修每年要完成多少学时？"
    hits = [made("guide:9", "每位教师每学年参加校本研修不少于七十二学时。", GUIDE, 0.8),
            # The conversion rate outranks the yearly amount here; it answers another question.
            made("plan:9", "校本研修每完成12学时折算1学分。", PLAN, 0.72),
            made("plan:8", "每学年参加校本研修不少于48学时。", PLAN, 0.66)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[0] == "每位教师每学年参加校本研修不少于七十二学时。"
    assert "每学年参加校本研修不少于48学时。" in texts
    assert "校本研修每完成12学时折算1学分。" not in texts


def test_a_figure_of_the_same_kind_on_another_topic_is_no_answer_beside_the_best() -> None:
    """Comparing two named documents on leave, the plan's 五年内不重复参加 is a span of time like 请假1天以上,
    but about something else: the plan's own sentence on leave answers beside the FAQ's."""
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, text: str, meta: dict, score: float) -> Hit:
        return Hit(cid, text, {**meta, "ordinal": 9, "section": "考核"}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    q = "市里指南和省里方案的请假上限说法一样吗？"
    hits = [made("guide:9", "集中研修期间请假累计超过2天的，不予结业。", GUIDE, 0.8),
            made("plan:9", "同一教师五年内原则上不重复参加同类项目。请假累计超过总学时10%的，不予结业。", PLAN, 0.7)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE,
                  named=("guide", "plan"))
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)), ("guide", "plan"))]
    assert texts == ["集中研修期间请假累计超过2天的，不予结业。", "请假累计超过总学时10%的，不予结业。"]


def test_two_documents_compared_on_how_a_thing_is_counted_are_quoted_for_their_rates() -> None:
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, meta: dict, text: str, cos: dict[str, float], score: float) -> Hit:
        spans = [(s, e, next((v for k, v in cos.items() if k in text[s:e]), 0.8)) for s, e in sentences(text)]
        return Hit(cid, text, {**meta, "ordinal": 5, "section": "网络研修"}, dense=0.9, score=score,
                   sentence=max(c for _, _, c in spans), sentences=spans)

    q = "线上学习时长怎么算，市里指南和省方案的口径一样吗？"
    hits = [made("guide:5", GUIDE, "网络研修按有效学习时长计算，每45分钟计1学时。", {"每45分钟": 0.93}, 0.8),
            made("plan:6", PLAN, "网络研修采用线上线下混合教学。", {"混合教学": 0.9}, 0.79),
            made("plan:5", PLAN, "有效学习时长每40分钟计1学时。", {"每40分钟": 0.86}, 0.78)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE,
                  named=("guide", "plan"))
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)), r.named)
    assert "有效学习时长每40分钟计1学时。" in [s.text for s in chosen]
    assert "网络研修采用线上线下混合教学。" not in [s.text for s in chosen]
