"""A small hand-built knowledge base (three documents) for answerer unit tests: no embedder, no store."""

from __future__ import annotations

from assistant.catalogue import build_catalogue
from assistant.hits import Hit, Retrieval
from assistant.question import analyse
from indexer.chunking import sentences
from indexer.store import StoredChunk

NOTICE = {"doc_id": "notice", "title": "教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知",
          "doc_number": "教师函〔2021〕4号", "issuers": "教育部 财政部", "year": 2021, "date": "", "kind": "policy"}
PLAN = {"doc_id": "plan", "title": "某省“国培计划”（2021—2025年）实施规划", "doc_number": "某教师〔2021〕12号",
        "issuers": "某省教育厅 某省财政厅", "year": 2021, "date": "2021-06-18", "kind": "resource"}
GUIDE = {"doc_id": "guide", "title": "某市中小学校本研修实施指南（试行）", "doc_number": "", "issuers": "", "year": 0,
         "date": "", "kind": "resource"}

CHUNKS = [
    StoredChunk("notice:0", "教育部 财政部关于实施中小学幼儿园教师 国家级培训计划（2021—2025年）的通知\n教师函〔2021〕4号\n"
                "各省、自治区、直辖市教育厅（教委）、财政厅（局）：", {**NOTICE, "ordinal": 0, "section": "前言"}),
    StoredChunk("notice:1", "（二）强化经费保障。中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。"
                "在地方相关重大教育发展项目中将教师培训作为资金使用的重要方向。",
                {**NOTICE, "ordinal": 1, "section": "三、保障措施 > （二）强化经费保障"}),
    StoredChunk("notice:2", "于每年2月底前将以上材料一并报送至教育部。", {**NOTICE, "ordinal": 2, "section": "三、保障措施"}),
    StoredChunk("plan:0", "某省“国培计划”（2021—2025年）实施规划\n某教师〔2021〕12号", {**PLAN, "ordinal": 0, "section": "前言"}),
    StoredChunk("plan:1", "（二）校本实践。参训教师返岗后开展为期两个月的校本实践，每人完成一节示范课和一份研修日志。",
                {**PLAN, "ordinal": 1, "section": "三、培训方式 > （二）校本实践"}),
    StoredChunk("plan:2", "全省中小学按照年度公用经费预算总额的8%安排教师培训经费。\n某省教育厅　某省财政厅\n2021年6月18日",
                {**PLAN, "ordinal": 2, "section": "六、经费保障"}),
    StoredChunk("guide:0", "# 某市中小学校本研修实施指南（试行）\n一、总则\n为落实教师自主发展机制，制定本指南。本指南适用于全市公办中小学和幼儿园。",
                {**GUIDE, "ordinal": 0, "section": "一、总则"}),
    StoredChunk("guide:1", "四、学时认定\n校本研修学时按下表认定。\n研修活动 | 认定学时\n听评课（每次） | 2\n"
                "公开课（每节） | 6\n专题讲座（每场） | 3", {**GUIDE, "ordinal": 1, "section": "四、学时认定"}),
    StoredChunk("guide:2", "五、学分\n校本研修学分不少于周期总学分的三分之一，每学年不少于48学时。每位教师每学年累计不少于12学分。",
                {**GUIDE, "ordinal": 2, "section": "五、学分"}),
    StoredChunk("guide:3", "六、总结\n学校于每年1月15日前将校本研修总结报送市教育局。", {**GUIDE, "ordinal": 3, "section": "六、总结"}),
]
CATALOGUE = build_catalogue(CHUNKS)
BY_ID = {c.id: c for c in CHUNKS}


def hit(chunk_id: str, score: float = 0.8, dense: float = 0.9, sentence: float = 0.93) -> Hit:
    """A hit as the retriever returns it, every sentence scored ``sentence`` against the question."""
    c = BY_ID[chunk_id]
    return Hit(c.id, c.text, dict(c.metadata), dense=dense, score=score, sentence=sentence,
               sentences=[(s, e, sentence) for s, e in sentences(c.text)])


def retrieval(question: str, *chunk_ids: str, strength: float = 0.9, named: tuple[str, ...] = (),
              unknown: tuple[str, ...] = ()) -> Retrieval:
    hits = [hit(cid, score=0.8 - 0.05 * i) for i, cid in enumerate(chunk_ids)]
    return Retrieval(query=question, terms=analyse(question).terms, hits=hits, strength=strength,
                     question=analyse(question), documents=CATALOGUE, named=named, unknown=unknown)


def first_chosen_in(text: str, question: str) -> str:
    """The sentence ``choose`` leads with when the plan's 一、基本思路 holds ``text``, its first sentence a shade
    closer to the question than the rest: which rule puts another one first is what the callers check."""
    from assistant.candidates import candidates
    from assistant.scoring import score
    from assistant.selection import choose

    h = Hit("plan:9", text, {**PLAN, "ordinal": 9, "section": "一、基本思路"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(s, e, 0.95 if i == 0 else 0.93) for i, (s, e) in enumerate(sentences(text))])
    q = analyse(question)
    r = Retrieval(query=question, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    return choose(q, score(q, r, candidates(r)))[0].text
