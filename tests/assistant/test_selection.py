from assistant.candidates import candidates
from assistant.hits import Hit
from assistant.question import analyse
from assistant.scoring import score
from assistant.selection import choose


def test_a_rule_is_quoted_with_the_exception_that_follows_it() -> None:
    from assistant.hits import Retrieval
    from assistant.selection import with_exceptions
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "同一年度原则上只参加1个集中研修项目。送教下乡等以县为单位组织的全员培训不计入此限。请按时报到。"
    hit = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "参训"}, dense=0.9, score=0.8, sentence=0.93,
              sentences=[(s, e, 0.93) for s, e in sentences(text)])
    q = "一年最多能参加几个项目？"
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[hit], strength=0.9, question=analyse(q), documents=CATALOGUE)
    ranked = score(analyse(q), r, candidates(r))
    chosen = choose(analyse(q), ranked)
    assert [s.text for s in chosen] == ["同一年度原则上只参加1个集中研修项目。"]
    assert [s.text for s in with_exceptions(chosen, ranked)] == [
        "同一年度原则上只参加1个集中研修项目。", "送教下乡等以县为单位组织的全员培训不计入此限。"]
