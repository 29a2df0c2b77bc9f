"""Grade a teacher's response and always answer with the source it came from.

Objective tasks are graded exactly, after forgiving the ways a phone keyboard differs from the source
(traditional characters, full/half width, spaces, punctuation, case, option letters or option texts in any
order and with any separator, numbers in Chinese or Arabic digits and 百分之五 for 5%). A true/false reply
may explain itself after a clear verdict (错，应为……). Open tasks must first read as the teacher's own
sentences (``open_answer``) about school and teaching (``topicality``, given the knowledge base's
``Domain``), then are graded by rubric coverage, which can only say whether the points were touched, not
how well: the feedback says so by listing what is missing rather than pretending to a precise mark. Every
graded feedback quotes the cited text, so the task teaches even when the answer was wrong.

A reply that is not an answer at all (empty, longer than ``MAX_ANSWER_CHARS``, an option that matches nothing,
several options on a single choice, too short to read, or for an open task a copy of the source or prompt, a
repetition, a list of keywords or mostly talk of things that are not school's) gets
``answered=False`` and a hint that reveals nothing of the key: it is not recorded as an attempt, so a
slip of the thumb does not cost the teacher the task, and probing does not show the source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.facts import cn_number
from assistant.learning.cues import RUBRIC_CUES, shows
from assistant.learning.open_answer import MIN_OWN_CHARS, assess
from assistant.learning.tasks import FALSE, TRUE, Task
from assistant.learning.topicality import (
    ELSEWHERE,
    MIN_SCHOOL_SHARE,
    Domain,
    own_words,
    school_share,
    strays,
    topic_words,
    topicality,
)
from indexer.chunking import sentences
from indexer.tokenizer import lexical_terms, to_simplified

# How an objective answer's feedback opens; a surface with a verdict line of its own leaves it out (without_verdict).
RIGHT, WRONG = "回答正确！", "回答错误。"

PASS_COVERAGE = 0.6
# The longest reply read at all, whatever the channel: an essay task asks for about 100 characters, and a
# reply of pages is pasted, not written. Refused before anything is recorded, on every surface alike.
MAX_ANSWER_CHARS = 4000

_TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "t", "true", "是", "yes", "y", "对的"}
_FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "x", "f", "false", "否", "no", "n", "错的", "不对"}
_KEEP = {"%", "+"}
_SEPARATORS = re.compile(r"[、,;/|\s]+")  # applied after NFKC, which folds ，；｜ and the ideographic space
_CONNECTORS = ("以及", "和", "与", "及")  # also inside option texts (道德与法治): only skipped between options
_QUOTED = re.compile(r"“([^”]+)”")
# A verdict that opens a longer reply (是错的，应该是立德树人): longest first, and only before a pause or the
# end, so 正确的说法是…… (which says the statement is wrong) is not read as 正确.
_VERDICTS = {**dict.fromkeys(("是正确的", "是对的", "正确", "对的", "对", "√", "✓", "✔", "true"), TRUE),
             **dict.fromkeys(("是错误的", "是错的", "不正确", "错误", "错的", "不对", "错", "×", "✗", "✘", "false"),
                             FALSE)}
_VERDICT = re.compile("^(" + "|".join(sorted(map(re.escape, _VERDICTS), key=len, reverse=True))
                      + r")(?=$|[\s，,。.！!；;：:、（(—-])")
# Chinese numerals written out (五, 十二, 两) and 百分之五: read as the digits the sources use. A run starts
# with a digit, not a unit, and never follows an Arabic digit, so 5万元 stays 5万元 and 五万元 becomes it.
_CN_RUN = re.compile(r"(?<![0-9])[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?")
_PERCENT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百千点0-9.]+)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# How a question opens or ends, and the words that ask (a blank's key never contains one: ``vocabulary.asks``).
_QUESTION_END = re.compile(r"[?？]\s*$|[吗呢么嘛][\s。.!！~～]*$")
_QUESTION_START = re.compile(r"^\s*(?:请问|请教|想问|问一下|我想知道|为什么|为何|怎么|怎样|如何|什么|哪|是否|能否|可否|可不可以|能不能|有没有|是不是)")
_ASKING = re.compile(r"什么|怎么|怎样|如何|为什么|为何|多少|哪|是否|能否|有没有|是不是")
# A typed fill-in reply this much longer than its key is no answer to it: the hint says 共 N 个字符.
CLOZE_SLACK = 6


@dataclass
class Grade:
    correct: bool
    score: float
    feedback: str
    covered: tuple[str, ...] = ()
    answered: bool = True  # False: not an answer (empty, unrecognised, too short); nothing to record


def normalize(text: str) -> str:
    """NFKC folds full width; punctuation and spaces go, but % and + stay because they change meaning."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace()
                   and (ch in _KEEP or not unicodedata.category(ch).startswith("P")))


def _arabic(numeral: str) -> str:
    value = cn_number(numeral)
    if value is None:
        return numeral
    return str(int(value)) if value.is_integer() else str(value)


def numerals(text: str) -> str:
    """百分之五 → 5%, 五万元 → 5万元, 三科 → 3科; names such as 十四五 stay as written. Applied to both the
    reply and the key, so a numeral inside a word (一对一) still matches itself."""
    text = _PERCENT_WORDS.sub(lambda m: _arabic(m.group(1)) + "%", text)
    return _CN_RUN.sub(lambda m: _arabic(m.group(0)), text)


def citation(task: Task) -> str:
    """“sentence”——《title》（doc number）section: the quote of the rule the task was made from."""
    src = task.source
    quote = _quoted_sentence(task)
    number = f"（{src.doc_number}）" if src.doc_number else ""
    return f"原文：“{quote}”——《{src.title}》{number}{src.section}"


def _quoted_sentence(task: Task) -> str:
    text = task.source.text
    spans = sentences(text, min_chars=1) or [(0, len(text))]
    if task.key_spans:
        s0 = task.key_spans[0][0]
        for s, e in spans:
            if s <= s0 < e:
                return text[s:e]
    for s, e in spans:
        if e - s >= 6 and text[s:e] in task.prompt:
            return text[s:e]
    return text[spans[0][0]:spans[0][1]]


def _segment(text: str, options: Sequence[str]) -> set[int] | None:
    """Read ``text`` (normalised) as option texts, option letters and connectors; None if it cannot be.

    Longest piece first with backtracking, from the end so it needs no recursion: "道德与法治历史" is two
    options although 与 is also a connector, "ac" two letters, "a和c" two letters and a connector.
    """
    n = len(text)
    letters = {chr(ord("a") + i): i for i in range(min(len(options), 26))}
    best: list[set[int] | None] = [None] * n + [set()]
    for i in range(n - 1, -1, -1):
        pieces = [(len(o), j) for j, o in enumerate(options) if o and text.startswith(o, i)]
        pieces += [(len(c), None) for c in _CONNECTORS if text.startswith(c, i)]
        if text[i] in letters:
            pieces.append((1, letters[text[i]]))
        for length, index in sorted(pieces, key=lambda p: -p[0]):
            rest = best[i + length]
            if rest is not None:
                best[i] = rest | ({index} if index is not None else set())
                break
    return best[0]


def _chosen(task: Task, response: str | Sequence[str]) -> set[str] | None:
    """The option texts a response picks, by letter or by text; None if something matched nothing.

    Separators split the reply first; if a piece cannot be read, the whole reply is tried without them,
    for options that themselves contain a separator.
    """
    parts = [response] if isinstance(response, str) else list(response)
    options = [_form(o) for o in task.options]
    picked: set[int] = set()
    for part in parts:
        found: set[int] | None = set()
        for piece in _SEPARATORS.split(unicodedata.normalize("NFKC", part)):
            got = (_segment(_form(piece), options) or _by_value(_form(piece), options)) if _form(piece) else set()
            if got is None:
                found = _segment(_form(part), options)
                break
            found |= got
        if found is None:
            return None
        picked |= found
    return {task.options[i] for i in picked}


def _form(text: str) -> str:
    """What replies and keys are compared as: numerals as digits, then ``normalize``."""
    return normalize(numerals(unicodedata.normalize("NFKC", text)))


def _by_value(text: str, options: Sequence[str]) -> set[int] | None:
    """A bare number for the one option that is that number with a unit: 5 for 5%, 12 for 12学时."""
    if not _NUMBER.fullmatch(text):
        return None
    hits = {i for i, o in enumerate(options) if re.fullmatch(re.escape(text) + r"[^0-9]{1,4}", o)}
    return hits if len(hits) == 1 else None


def _truth(response: str) -> str | None:
    word = normalize(response) or response.strip()
    if word in _TRUE_WORDS:
        return TRUE
    if word in _FALSE_WORDS:
        return FALSE
    verdict = _VERDICT.match(unicodedata.normalize("NFKC", response).strip().lower())
    return _VERDICTS[verdict.group(1)] if verdict else None


def rubric_terms(point: str) -> tuple[str, ...]:
    """Quoted source terms in a rubric point, or the cue words of a generic point."""
    return tuple(_QUOTED.findall(point)) or RUBRIC_CUES.get(point, tuple(lexical_terms(point)))


def _mentions(response: str, term: str) -> bool:
    norm = normalize(response)
    if normalize(term) in norm:
        return True
    parts = [p for p in lexical_terms(term) if len(p) >= 2 and p != term]
    return len(term) >= 4 and bool(parts) and sum(normalize(p) in norm for p in parts) * 2 >= len(parts)


def _grade_open(task: Task, response: str, domain: Domain | None) -> Grade:
    terms = [t for point in task.rubric for t in rubric_terms(point)]
    writing = assess(response, source=task.source.text, prompt=task.prompt, terms=terms)
    if writing.too_short:
        # The length the task asked for (用自己的话写，至少 30 字), not the lower bar below which nothing is kept.
        return Grade(False, 0.0, f"回答太简短了：请用自己的话、完整的句子写至少 {MIN_OWN_CHARS} 字，结合本校实际写出你的想法。",
                     answered=False)
    problems = writing.problems()
    clauses, strayed = list(writing.clauses), []
    if domain is not None:
        given = _given_words(task)
        topic = topicality(response, domain, given)
        if topic.unrelated:
            problems.append(topic.problem())
        elif school_share(clauses, topic_words(task.source.text)) < MIN_SCHOOL_SHARE:
            # Nothing odd in it, and nothing of school either (a day with the family cat): not an answer to the task.
            problems.append(ELSEWHERE)
        # A rubric term hung on nonsense (分层分类的做法是让月亮变成方的) does not show the point was understood.
        strayed = [c for c in clauses if strays(c, domain, given)]
        clauses = [c for c in clauses if c not in strayed]
    if problems:
        # A copy, a repetition, a list of keywords or talk of other things is not the teacher's answer yet: like
        # a reply too short to read, it is not recorded, so the rewrite the feedback asks for is still the first
        # attempt (and earns the credit); the rubric and the source stay unshown until then.
        return Grade(False, 0.0, "还不能算完成：" + "；".join(problems) + "。请改写后再提交，这次不计入作答记录。",
                     answered=False)
    # A rubric point counts only where it is used in a sentence, not in a list of terms.
    covered = _covered(task, clauses)
    score = len(covered) / len(task.rubric) if task.rubric else 1.0
    missing = [p for p in task.rubric if p not in covered]
    ok = score >= PASS_COVERAGE
    if ok:
        head = f"完成得不错，覆盖了 {len(covered)}/{len(task.rubric)} 个要点。"
    else:
        head = f"已覆盖 {len(covered)}/{len(task.rubric)} 个要点，还需补充。"
    # Say which sentences did not count, when counting them would have covered more: otherwise a teacher who
    # wrote 分层分类 sees it listed as missing and cannot tell why.
    lost = [c for c in strayed if set(_covered(task, [c])) - set(covered)]
    lines = [head]
    if lost:
        lines.append(f"这些句子说的与学校教育教学无关，其中的要点不计：{'；'.join(f'“{c}”' for c in lost)}。")
    if missing:  # one point a line, as a checklist reads, not run together with the verdict and the source
        lines += ["可以再补充：", *(f"· {p}" for p in missing)]
    return Grade(ok, round(score, 4), "\n".join([*lines, citation(task)]), covered)


def _covered(task: Task, clauses: Sequence[str]) -> tuple[str, ...]:
    context = "。".join(clauses)
    return tuple(p for p in task.rubric if any(_cues_hit(context, t, p) for t in rubric_terms(p))
                 or (p in RUBRIC_CUES and any(shows(c, p) for c in clauses)))


def _given_words(task: Task) -> frozenset[str]:
    """Words the task itself supplies (prompt, source, rubric terms, cue words): not evidence of topic."""
    supplied = own_words("。".join([task.prompt, task.source.text, *task.rubric]), frozenset())
    return frozenset(supplied).union(*RUBRIC_CUES.values(), *(rubric_terms(p) for p in task.rubric))


def _cues_hit(response: str, term: str, point: str) -> bool:
    return normalize(term) in normalize(response) if point in RUBRIC_CUES else _mentions(response, term)


def simplified(response: str | Sequence[str]) -> str | list[str]:
    """A teacher in Hong Kong or Taiwan types 立德樹人 or 錯: the sources and keys are simplified, so every
    reply is folded before it is read, for every kind of task (the record keeps what was typed)."""
    return to_simplified(response) if isinstance(response, str) else [to_simplified(r) for r in response]


def overlong(response: str | Sequence[str]) -> str | None:
    """Why a reply is too long to read (Chinese), or None; checked first, before the task is even looked up."""
    typed = len(response) if isinstance(response, str) else len("、".join(response))
    if typed > MAX_ANSWER_CHARS:
        return f"作答过长：最多 {MAX_ANSWER_CHARS} 个字（本次 {typed} 个字），请精简后再提交。"
    return None


def reads_as_question(task: Task, reply: str) -> bool:
    """Whether a typed reply to a task that awaits one is a new question rather than an answer.

    A chat surface takes typed text as an answer while a fill-in waits, and a teacher who moves on and asks
    something (国培计划的目标任务是什么？) would burn the first attempt on it. A question ends with ？ or 吗/呢,
    or opens like one (请问, 为什么, 怎么); for a fill-in it also asks (什么, 多少, 哪) or is much longer than
    the key, since the task says how many characters it wants. An open task's answer may ask itself something
    on the way, so there only a short reply that ends like a question counts. Punctuation alone ("？") is not a
    question: grading tells the teacher to answer first.
    """
    text = to_simplified(unicodedata.normalize("NFKC", reply)).strip()
    chars = len(normalize(text))
    if not chars:
        return False
    if task.type in ("reflection", "practice"):
        return chars < MIN_OWN_CHARS and bool(_QUESTION_END.search(text) or _QUESTION_START.match(text))
    if task.type != "cloze":
        return False
    key = _form(str(task.answer))
    if _form(text) == key:
        return False
    return bool(_QUESTION_END.search(text) or _QUESTION_START.match(text) or _ASKING.search(text)
                or chars > 2 * len(key) + CLOZE_SLACK)


# 我不知道, 不会, 忘了: no answer, whatever the task.
_DONT_KNOW = re.compile(r"^(?:我|俺)?(?:真的|确实|也|还)?(?:不知道|不清楚|不会|不懂|不记得|记不得|忘了|想不起来|没学过|不确定)"
                        r"(?:了|啊|呀|哦|呢|诶|哈)?[。.!！~～…]*$")
ASKED = "这看起来是一个新问题，不是本题的答案，没有记为作答。请直接填写横线处的原文词语（提示里写了字数）。"


def grade(task: Task, response: str | Sequence[str], domain: Domain | None = None) -> Grade:
    """``domain``: what the knowledge base talks about; with it an open answer must also be about school and
    teaching (``topicality``). The companion always passes it; without it only the form and rubric count."""
    too_long = overlong(response)
    if too_long:
        return Grade(False, 0.0, too_long, answered=False)
    response = simplified(response)
    text = response if isinstance(response, str) else "、".join(response)
    if not normalize(text):  # blank, or punctuation only ("？")
        return Grade(False, 0.0, "还没有作答，请先写下你的答案再提交。", answered=False)
    if _DONT_KNOW.match(text.strip()):
        # 我不知道 says where the teacher stands, not what the answer is: it points to where to read, names nothing of
        # the key, and does not use up the first attempt.
        how = ""
        if task.options:
            how = f"请填写选项字母（{_letters(task)}）或选项原文。"
        return Grade(False, 0.0, f"没有记为作答。可以先读一读《{task.source.title}》「{task.source.section}」，"
                                 f"再来作答。{how}", answered=False)
    if task.type in ("reflection", "practice"):
        return _grade_open(task, text, domain)
    answer_text = "、".join(task.keys)
    if task.type == "true_false":
        truth = _truth(text)
        if truth is None:
            return Grade(False, 0.0, "请用“正确”或“错误”（也可写 对/错、√/×）作答，理由可以写在判断之后，"
                                     "如“错，应为……”。", answered=False)
        ok = truth == task.answer
    elif task.type == "cloze":
        if reads_as_question(task, text):  # every surface alike: a question never uses up the first attempt
            return Grade(False, 0.0, ASKED, answered=False)
        ok = _form(text) == _form(str(task.answer))
    else:
        picked = _chosen(task, response)
        if not picked:  # None: a piece matched no option; empty: only connectors (和、与)
            return Grade(False, 0.0, f"没有识别出你的选项，请填写选项字母（{_letters(task)}）或选项原文。", answered=False)
        if task.type == "single_choice" and len(picked) > 1:
            # Malformed like an option that does not exist: graded, it would lock the task on a slip.
            return Grade(False, 0.0, "这是单选题，只能选一个选项：请只填写一个选项字母或选项原文。", answered=False)
        keys = set(task.keys)
        ok = picked == keys
        if not ok and task.type == "multiple_choice":
            return _multiple_wrong(task, picked, keys, answer_text)
    if ok:
        return Grade(True, 1.0, f"{RIGHT}\n{citation(task)}", task.keys)
    return Grade(False, 0.0, f"{WRONG}正确答案：{answer_text}。\n{citation(task)}")


def _letters(task: Task) -> str:
    """The option letters a choice is answered with: A、B、C、D."""
    return "、".join(chr(65 + i) for i in range(len(task.options)))


def _multiple_wrong(task: Task, picked: set[str], keys: set[str], answer_text: str) -> Grade:
    """The common exam rule: any wrong option chosen scores nothing; choosing only some of the right
    options (少选) scores in proportion; neither is correct. Guessing every option is then no strategy."""
    if picked - keys:
        return Grade(False, 0.0, f"回答错误：选了不属于正确答案的选项，多选题有错选即不得分。正确答案：{answer_text}。"
                                 f"\n{citation(task)}")
    return Grade(False, round(len(picked) / len(keys), 4),
                 f"回答不完全正确（少选）：选对了 {len(picked)} 项，漏选了 {len(keys - picked)} 项。"
                 f"正确答案：{answer_text}。\n{citation(task)}", tuple(sorted(picked)))



def without_verdict(feedback: str) -> str:
    """The feedback to show under a surface's own verdict line (the bot's ✅ 回答正确！, the console's 回答正确,
    the command line's 正确（得分 1.0）): the same words again right below it read as a stutter. A practice
    note before the verdict stays; a verdict that says more (回答错误：选了不属于…) is kept whole."""
    for verdict in (RIGHT, WRONG):
        at = feedback.find(verdict)
        if at == 0 or (at > 0 and feedback[:at].rstrip("\n").endswith("）")):
            return feedback[:at] + feedback[at + len(verdict):].lstrip("\n")
    return feedback
