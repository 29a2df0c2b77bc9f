"""Does the knowledge base answer what was asked, or only touch the topic?

Retrieval always returns the nearest passages; near is not the same as answering. Three things that a
question asks and a passage either has or has not decide it:

- the kind of fact requested: "多少钱" needs a sum of money, "什么时候" a date, "网址" an address; no
  on-topic sentence with such a fact means the documents do not state it;
- the years and places it asks about: a year that no passage names, nor any period a passage gives, or a
  named place (西藏, 芬兰) that no passage mentions, is outside what the documents cover; likewise who fills
  a role (主讲专家都有谁) when no passage names anyone;
- its key terms: a key term (考试, 补贴) that occurs nowhere in the knowledge base, not even as a synonym,
  is a subject the documents never address, provided it carries a real share of the question; and what a
  yes/no question asks about (要上晚自习吗) is settled by such a term alone when the model is unsure of its quote.

A question in English is judged on the same signals: the retriever renders its words as the Chinese words
the knowledge base uses (``assistant.question.bridged``), and an English word with no such rendering is a
key term the knowledge base never uses.

The outcome is a verdict with a teacher-readable description of what is missing, which the answer states
plainly ("知识库中的文件没有写明…") before quoting what the documents do say on the topic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.asked_facts import counted_noun, limit_asked
from assistant.catalogue import class_names, names_a_document, subject_terms
from assistant.facts import cn_number, covers_year, listed_items, periods, years
from assistant.hits import CROSS_LINGUAL_OFFSET, Retrieval
from assistant.people import asked_person, names_a_person
from assistant.places import place_name
from assistant.premise import claimed
from assistant.question import Asks, Question, frames, unit_named
from assistant.quote import Quote
from assistant.scoring import SHORT_DOCUMENT, coverage, present, term_weights, topic_heading
from indexer.thesaurus import field_synonyms
from indexer.tokenizer import lexical_terms

_WHICH_ONE = re.compile(r"哪(?:家|个|所|座|几家|几所|一家|一个)")
_LOCAL_EXISTS = re.compile(r"(?:我们|咱们|俺们|我|咱)(县|市|区|乡|镇|学校|校)(?:里|这里|这边)?[^，。？?]{0,6}?"
                           r"(?:有没有|有无|是否有|有没|开没开|建没建|搞没搞)")
_PERSON_ENDS = ("老师", "教师", "校长", "园长", "班主任", "教研组长")
_RULE_WORDS = re.compile(r"要求|规定|义务|责任|资格|权利|必要|标准")
# Which named places: 省份, 城市 and 国家 are answered by names (贵州, 成都), not by a description (中西部地区).
_WHICH_PLACE = re.compile(r"(?:哪些|哪几个|哪个|哪一个|哪几)(?:省份|省|城市|国家)")
_SUPPOSE = re.compile(r"要是|如果|假如|万一|若是|一旦|不管|无论")
_PLACE_SENTENCES = 5  # the best sentences, where a name that answers would be
# 哪十项, 哪四史: the teacher names how many items they want listed.
_WHICH_N = re.compile(r"哪\s*([一二两三四五六七八九十]{1,3}|\d{1,2})\s*([\u4e00-\u9fff])")
# What is counted, when the question says it right after 多少 / 几 (几次 → 次数): 乡村教师每年能参加几次 is not asking how
# many teachers.
_COUNT_NAMES = {"次": "次数", "回": "次数", "人": "人数", "名": "人数", "位": "人数", "天": "天数", "节": "节数",
                "篇": "篇数", "门": "门数", "项": "项数", "所": "所数", "期": "期数", "批": "批次", "轮": "轮次"}
_ASK_NAMES = {Asks.DATE: "具体时间", Asks.LOCATION: "网址或地点", Asks.CONTACT: "联系方式"}
# The question's own words for an address or a contact: said once (平台网址), not 平台网址的网址或地点.
_ASKED_THING = re.compile(r"网址|网站|链接|地址|地点|电话|手机号|邮箱|联系方式|联系电话")
_FACT_NAMES = {
    "percent": "具体比例", "money": "具体金额", "hours": "具体学时", "credits": "具体学分", "score": "分数要求",
    "duration": "具体时长", "count": "具体数量", "age": "年龄要求", "length": "字数要求", None: "具体数字",
}


@dataclass(frozen=True)
class GroundingPolicy:
    """The answerability model: a logistic regression over ``signals``, fitted by ``python -m evals.calibrate``
    on the dev split of the eval sets only, with the threshold set there so that at most 1.5% of answerable
    dev questions are declined."""

    fact_min_cover: float = 0.25  # a fact-holding sentence must also be this much on topic
    fact_min_dense: float = 0.8  # ... or this similar to the question (a paraphrase shares few words)
    cross_lingual_min_dense: float = 0.3  # ... or, for a question in another language, this similar
    coefficients: tuple[tuple[str, float], ...] = (
        ("strength", 3.5526), ("dense", 17.9449), ("cover", 0.2266), ("unknown", -5.0744), ("absent", -1.8833),
        ("fact_missing", -2.0034), ("year_outside", 0.0),
    )
    intercept: float = -17.2343
    threshold: float = 0.3252  # answerable when the model's probability is at least this
    # Answered, but with a caveat, below this probability: the least certain 15% of the answerable dev
    # questions the model answers (``evals.calibrate``); a quote that may not answer should say so.
    hedge_below: float = 0.5847

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(w * features.get(name, 0.0) for name, w in self.coefficients)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class Verdict:
    answered: bool
    missing: str = ""  # what the documents do not state, for the teacher ("培训补贴的具体金额")
    reason: str = ""  # fact | year | term: which check decided (reported in evals)
    hedged: bool = False  # answered, but the model is unsure the quote answers what was asked


FEATURES = ("strength", "dense", "cover", "unknown", "absent", "fact_missing", "year_outside")


def _absent(q: Question, retrieval: Retrieval) -> list[str]:
    """Key terms the knowledge base uses, but not its top passages (not even as synonyms)."""
    top_text = "".join(h.text + h.section for h in retrieval.hits[:3])
    top_words = set(lexical_terms(top_text))
    alternatives = q.alternatives()
    # 骨干班 names the course's syllabus: 骨干 is where to look, not a term its passages must repeat.
    classes = class_names(q.text, retrieval.documents)
    # 我是村小的数学老师，能报名吗: who the teacher says they are is no term whom a training is for must name.
    told = q.circumstance
    return [t for t in q.focus
            if t not in retrieval.unknown and t not in told and t not in q.date_frame  # 开始实施: 自9月1日起施行
            and not any(t in name for name in classes) and not present(t, top_words, top_text, alternatives.get(t, ()))]


def signals(q: Question, retrieval: Retrieval, ranked: list[Quote],
            policy: GroundingPolicy | None = None, rule: Verdict | None = None) -> dict[str, float]:
    """What the answerability decision looks at, as numbers (also what ``evals.calibrate`` fits on).

    - strength, dense, cover: how close the best evidence is (overall, embedder, question terms);
    - unknown: the share of the question's weight in key terms the knowledge base never uses;
    - absent: the share in key terms the top passages do not use (nor synonyms), though others do;
    - fact_missing: a figure, date, address or contact was asked for and no on-topic sentence has one;
    - year_outside: a year asked about is covered by no passage and no document.
    """
    policy = policy or GroundingPolicy()
    weights = term_weights(q)
    total = sum(weights.values()) or 1.0
    absent = [t for t in _absent(q, retrieval) if t in weights]
    verdict = rule or _rules(q, retrieval, ranked, policy)
    return {
        "strength": retrieval.strength,
        # The raw cosine, not the 0–1 normalised one: sentence similarities crowd the top of the scale,
        # where the normalised value is already clipped to 1 for on-topic and off-topic questions alike.
        # A question in English gets systematically lower similarities; the offset evidence strength
        # uses puts it on the Chinese scale, so one model serves both languages.
        "dense": max((c for h in retrieval.hits[:3] for _, _, c in h.sentences), default=0.0)
        + (CROSS_LINGUAL_OFFSET if q.cross_lingual else 0.0),
        "cover": max((s.cover for s in ranked), default=0.0),
        "unknown": sum(weights.get(t, 0.0) for t in retrieval.unknown) / total,
        "absent": sum(weights[t] for t in absent) / total,
        "fact_missing": float(verdict.reason == "fact"),
        "year_outside": float(verdict.reason == "year"),
    }


def _topic(q: Question, avoid: tuple[str, ...] = (), asked: str = "") -> str:
    # 国家要求地方配套的钱: 国家 says whose document, not what it leaves out (地方配套的具体比例).
    words = [t for t in q.focus if t not in avoid and not names_a_document(t)] or [t for t in q.focus if t not in avoid]
    return "".join(_own(words, asked)[:2])


def _own(terms: list[str], asked: str) -> list[str]:
    """The terms the teacher wrote, when the question was read joined with the conversation's topic: after an
    outline of the notice, 乡村教师每年能参加几次 lacks 乡村教师的具体次数, not 教育部乡村的. Without such words
    of their own (那要几次呢), the joined topic names it."""
    return ([t for t in terms if t in asked] or terms) if asked else terms


def judge(q: Question, retrieval: Retrieval, ranked: list[Quote],
          policy: GroundingPolicy | None = None, *, asked: str = "") -> Verdict:
    """Answered, or not specified with a description of what is missing for the teacher.

    ``asked`` is the teacher's own text when ``q`` is the question joined with the conversation's topic: what is
    missing is named in the teacher's words. The decision itself reads the joined question.
    """
    policy = policy or GroundingPolicy()
    rule = _rules(q, retrieval, ranked, policy, asked)
    if settles(q, rule):
        return rule
    features = signals(q, retrieval, ranked, policy, rule)
    probability = policy.probability(features)
    if probability >= policy.threshold:
        unsure = probability < policy.hedge_below
        # 中午有没有地方午休: what a yes/no question asks about (午休) is a thing no document names; a quote the model is
        # unsure of cannot say yes or no to it.
        asked = _asked_unknown(q, retrieval) if unsure else []
        if asked:
            return Verdict(False, "、".join(f"「{t}」" for t in as_written(asked, q.text)), "term")
        return Verdict(True, hedged=unsure)
    if not rule.answered:
        return rule
    # 我是县里初中数学老师，要做什么准备: who the teacher says they are is no thing the documents leave out (what
    # else they tell of themselves may be: 我读的是非师范的本科, 能折学分吗).
    told = {t for t in q.self_told if t.endswith(_PERSON_ENDS)}
    # 國家那個學分銀行: 国家 says whose document is meant, not a thing the documents leave out.
    missing = [t for t in (*retrieval.unknown, *_absent(q, retrieval))
               if t in q.focus and t not in told and not names_a_document(t)]
    if missing:
        # Name the things the documents do not mention (「病假」), not the verbs around them (「提供」).
        nouns = {w.lower() for w, flag in q.tagged if flag.startswith(("n", "j", "eng"))}
        named = _own([t for t in missing if t in nouns], asked)
        if named:
            return Verdict(False, "、".join(f"「{t}」" for t in as_written(list(dict.fromkeys(named)), q.text)), "term")
        # Only verbs are missing (我能参加国培吗: 「参加」): a verb names no subject the documents leave out.
    topic = "" if q.cross_lingual else _topic(q, asked=asked)
    return Verdict(False, f"{topic}方面的具体规定" if topic else "这个问题的具体规定", "model")


# The modal of a yes/no question (能不能, 要不要, 有没有 …): what follows it in its clause is what is asked about.
_YESNO_MODAL = re.compile(r"有没有|能不能|可不可以|可以|能否|是否|要不要|需不需要|用不用|算不算|会不会|能|要|需要|算")
# 有没有关系, 有没有对应的: how two things relate is asked, not a thing the documents must name.
_RELATION = frozenset({"关系", "对应", "冲突", "区别", "差别", "不同", "一样", "联系", "矛盾"})


def _asked_unknown(q: Question, retrieval: Retrieval) -> list[str]:
    """Nouns the knowledge base never uses that a yes/no question asks about: after its modal, in its clause
    (能不能给下一期当助教 → 助教, 要上晚自习吗 → 晚自习); never who the teacher says they are."""
    if not q.yesno or q.cross_lingual:
        return []
    nouns = {w for w, flag in q.tagged if flag.startswith(("n", "j", "eng", "vn"))}
    told = set(q.circumstance) | set(q.self_told)
    unknown = [t for t in retrieval.unknown if len(t) >= 2 and t in nouns and t not in told and t not in _RELATION
               and not names_a_document(t)]
    asked: list[str] = []
    for clause in re.split(r"[，。？！,?!；;]", q.text):
        modal = _YESNO_MODAL.search(clause)
        if modal:
            asked += [t for t in unknown if t in clause[modal.end():] and t not in asked]
    return asked


def _topic_beyond_subject(q: Question, retrieval: Retrieval) -> Callable[[Quote], float]:
    """A quote's coverage of the question, read with its headings, leaving out the name of the documents' whole
    subject (国培计划); for a question that does not name it, the quote's own ``topic``."""
    weights = term_weights(q)
    subject = subject_terms(weights, retrieval.documents) | set(retrieval.common)
    # 保育员培训哪天开始: a date says when a thing starts or ends (10月8日至10月10日); 开始 frames the date asked,
    # it names no topic a dated sentence must repeat.
    framed = q.date_frame
    # 报名什么时候截止: 时候 frames the question as 截止 does; what is left beyond 报名 is nothing to cover.
    framed |= {t for t in weights if frames(t)}
    if not subject or subject.issuperset(w for w in weights if w not in framed):
        return lambda s: s.topic
    rest = {t: w for t, w in weights.items() if t not in subject and t not in framed}
    alternatives = q.alternatives()
    # A document of a chunk or two (某县保育员培训安排) is about what its title says in every line, as selection reads it.
    titles = {d.doc_id: d.title for d in retrieval.documents if d.chunks <= SHORT_DOCUMENT}
    return lambda s: coverage(rest, s.text, alternatives,
                              context=f"{topic_heading(s.hit.section)}\n{titles.get(s.hit.doc_id, '')}")


def _of_asked_years(q: Question, on_topic: Callable[[Quote], bool]) -> Callable[[Quote], bool]:
    """``on_topic``, less the sentences dated to other years only: 其中2021年于5月底前报送 is no date of 2024, while
    每年2月底前 (no year) is every year's."""
    def of_asked(s: Quote) -> bool:
        dated = set(years(s.text))
        return on_topic(s) and (not dated or bool(dated & set(q.years)))
    return of_asked


def _restricted(q: Question, retrieval: Retrieval) -> bool:
    """Whether the figure asked for must come from the one document the question names."""
    return len(retrieval.named) == 1 and not q.yesno and q.asks == Asks.QUANTITY


def _in_named(doc: str, on_topic: Callable[[Quote], bool]) -> Callable[[Quote], bool]:
    return lambda s: s.hit.doc_id == doc and on_topic(s)


def _fact_name(q: Question) -> str:
    if q.asks in _ASK_NAMES:
        return _ASK_NAMES[q.asks]
    if q.checks_figure:  # 学分是三年一个周期吗: the kind of figure claimed (具体时长)
        return _FACT_NAMES.get(next((f.kind for f in claimed(q.text, q)), None), "具体数字")
    counted = unit_named(q) if q.unit == "count" else ""
    name = f"具体{_COUNT_NAMES[counted]}" if counted in _COUNT_NAMES else _FACT_NAMES.get(q.unit, "具体数字")
    limit = limit_asked(q)  # 最多能认定多少学分: 学分上限, not 具体学分
    return (name.removeprefix("具体").removesuffix("要求") or "具体") + limit if limit else name


def as_written(terms: list[str], text: str) -> list[str]:
    """Terms the question wrote one after the other as one phrase: 送教 + 下乡 is 「送教下乡」, not 「送教」、「下乡」."""
    phrases: list[str] = []
    for term in terms:
        if phrases and phrases[-1] + term in text:
            phrases[-1] += term
        else:
            phrases.append(term)
    return phrases


def settles(q: Question, rule: Verdict) -> bool:
    """A year no document covers, or a date, address, contact or figure in a unit the teacher named
    (多少钱, 几天) that no on-topic sentence holds, settles it; other signals are weighed by the model."""
    return rule.reason in ("year", "choice", "place", "person", "which", "named", "items", "local", "in_named") \
        or (rule.reason == "fact" and (q.strict_unit or q.asks != Asks.QUANTITY))


def rule_verdict(q: Question, retrieval: Retrieval, ranked: list[Quote],
                 policy: GroundingPolicy | None = None) -> Verdict:
    return _rules(q, retrieval, ranked, policy or GroundingPolicy())


def _rules(q: Question, retrieval: Retrieval, ranked: list[Quote], policy: GroundingPolicy,
           asked: str = "") -> Verdict:
    # Passages and document titles (国家级培训计划（2021—2025年）) both say which years are covered.
    texts = [h.text for h in retrieval.hits] + [d.title for d in retrieval.documents]
    issued = {d.year for d in retrieval.documents if d.year}
    # 国培是2020到2024年的吗 states a period to check: the premise check corrects it against 2021—2025 when a
    # document gives a period of its own, rather than the answer saying nothing covers 2020.
    # A question about another period (2026—2030年的计划什么时候出) asks what the documents cannot say.
    stated = {y for a, b in periods(q.text) for y in (a, b)} if q.yesno and any(periods(t) for t in texts) else set()
    for year in q.years:
        if year not in stated and year not in issued and not any(covers_year(t, year) for t in texts):
            return Verdict(False, f"{year}年的相关安排", "year")
    # “强师计划”跟国培是一回事吗 / 双减政策怎么规定的: a programme or policy the knowledge base never names.
    if retrieval.alien:
        return Verdict(False, f"「{retrieval.alien[0]}」的相关内容", "named")
    # 我去西藏支教 / 芬兰的老师: a place no passage names is one whose rules the documents cannot give.
    places = [name for t in retrieval.unknown if (name := place_name(t))]
    if places:
        return Verdict(False, f"「{places[0]}」的相关规定", "place")
    # 主讲专家都有谁: who fills a role is a person's name, which no rule about the role gives.
    who = asked_person(q.text)
    if who and not any(names_a_person(s.text) for s in ranked):
        return Verdict(False, f"{who}的具体人选", "person")
    # 住哪家酒店, 哪家公司运营: asked which one of a kind of thing the knowledge base never mentions at all. (A
    # website or a phone number asked for is a fact of its own kind, checked below: 在哪个网站查 is answered by
    # the platform the documents name.)
    if q.asks not in (Asks.LOCATION, Asks.CONTACT):
        for m in _WHICH_ONE.finditer(q.text):
            thing = next((t for t in retrieval.unknown if q.text.startswith(t, m.end())), "")
            if thing:
                return Verdict(False, f"具体是{m.group(0)}{thing}", "which")
    # 我们县有没有学分银行: whether something exists where the teacher works is a local fact; the documents set
    # rules for every county and cannot say what one has.
    local = _LOCAL_EXISTS.search(q.text)
    if local and not _RULE_WORDS.search(q.text[local.end():]):  # 我们学校有没有这个义务 asks a rule
        return Verdict(False, f"你们{local.group(1)}的实际情况", "local")
    # 自主选学试点在哪些省份开展: which provinces (cities, countries) is answered by their names, which a rule about
    # 本省份 or 有条件的地方 does not give.
    place = _WHICH_PLACE.search(q.text)
    if place and _SUPPOSE.search(q.text[:place.start()]):
        place = None  # 要是哪个省没按时报: any province, not a question of which
    if place and not any(place_name(w) for s in ranked[:_PLACE_SENTENCES] for w in lexical_terms(s.text)):
        return Verdict(False, f"具体是{place.group(0)}", "which")
    # 十项准则具体是哪十项: the items of a thing the documents only name. A sentence that names it and lists its
    # items (道德与法治、语文、历史三科) answers; one that only names it (强化十项准则学习) does not.
    which = _WHICH_N.search(q.text)
    if which and (n := cn_number(which.group(1))) and n >= 2:
        thing = next((t for t in q.focus if t.startswith(which.group(1) + which.group(2))), "")
        clauses = [c for t in [*(s.text for s in ranked), *(h.text for h in retrieval.hits)]
                   for c in re.split(r"[，。；,;！？!?\n]", t) if thing in c]
        if thing and clauses and not any(listed_items(c) >= min(n, 3) for c in clauses):
            return Verdict(False, f"「{thing}」具体是哪{which.group(1)}{which.group(2)}", "items")
    # 开卷还是闭卷: when the passages name neither alternative (nor a synonym), they cannot say which.
    if q.choice:
        top = "".join(h.text for h in retrieval.hits[:3])
        # 按市里指南的比例还是省方案的比例 asks which document applies, not which of two things: the sides differ
        # only in the words that name documents.
        sides = [[w for w in lexical_terms(side) if len(w) >= 2 and not names_a_document(w)] for side in q.choice]
        # 该守大纲的规定还是市里答疑的规定: one side says nothing but a document's name.
        said = [] if set(sides[0]) == set(sides[1]) or not all(sides) else [w for side in sides for w in side]
        if said and not any(w in top or any(s in top for s in field_synonyms(w)) for w in said):
            return Verdict(False, "是「{}」还是「{}」".format(*q.choice), "choice")
    # A cross-lingual question shares no words with the passages; only the embedder can say it is on topic.
    # Its words rendered in the knowledge base's Chinese (``question.bridged``) still count when they are there.
    # A length in characters (多少字) is given per kind of writing: 读书笔记不少于2000字 says nothing of 研修日志.
    min_cover = policy.fact_min_cover * (2 if q.unit == "length" else 1)
    # 国培要求线上学习占多少: the 5% of 保障“国培计划”实施 names the programme, which every passage is about; a
    # figure is on topic by what else it shares with the question (线上, 学习), not by the subject's name.
    topic = _topic_beyond_subject(q, retrieval)
    on_topic = (lambda s: s.dense >= policy.cross_lingual_min_dense or s.cover >= min_cover
                ) if q.cross_lingual else (
        lambda s: (c := topic(s)) >= min_cover or (s.dense >= policy.fact_min_dense and q.unit != "length" and c > 0))
    # 2024年的国培几月份开始报名: a date the documents give for another year (其中2021年于5月底前报送) is not that
    # year's date.
    if q.asks == Asks.DATE and q.years:
        on_topic = _of_asked_years(q, on_topic)
    # 国家通知里的示范项目一年要培训多少人 asks what one document says: the province's 每年培训约4000人 is no figure of
    # it, and the answer says the named document is silent ("in_named"). (国家通知有没有给个统一标准 asks whether it
    # does, which the others' figures answer: it does not, they do.)
    anywhere, restricted = on_topic, _restricted(q, retrieval)
    if restricted:
        on_topic = _in_named(retrieval.named[0], on_topic)
    # 学分是三年一个周期吗 checks a figure the teacher claims: when no sentence on its topic gives one of that kind,
    # the documents do not say, however close a sentence about 周期性的发展规划 is. (九年一贯制, 教了二十年 are no claim.)
    if (q.wants_fact or (q.checks_figure and claimed(q.text, q))) and not any(s.fact and on_topic(s) for s in ranked):
        elsewhere = restricted and any(s.fact and anywhere(s) for s in ranked)
        # 平台网址是什么: the question's own word for what is missing (网址), not 平台网址的网址或地点.
        thing = next((t for t in q.focus if _ASKED_THING.fullmatch(t)), "")
        noun = counted_noun(q) if q.unit == "count" else ""  # 有几个名额: 具体名额数
        name = thing or (f"具体{noun}数" if noun else _fact_name(q))
        topic = "" if q.cross_lingual else _topic(q, (thing, noun), asked)
        return Verdict(False, f"{topic}的{name}" if topic else name, "in_named" if elsewhere else "fact")
    return Verdict(True)
