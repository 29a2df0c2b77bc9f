"""Offline task generation: jieba words and parts of speech, figures and enumerations, no model.

Every objective task is cut from a sentence of its source: the key is a span of the chunk text and the
prompt is that sentence with the span blanked (or, for a false statement, swapped). Distractors come from
the corpus vocabulary and are never found in the source passage, so a wrong option cannot be right
elsewhere in the same rule. Anything that breaks these rules is dropped here rather than shown to a teacher.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

from assistant.furniture import INSTRUCTION
from assistant.learning.open_answer import MIN_OWN_CHARS
from assistant.learning.tasks import FALSE, TASK_TYPES, TRUE, Task, TaskSource, TaskType, task_id
from assistant.learning.vocabulary import Kind, Vocabulary, figures, pos_tokens
from assistant.quote import TABLE_CELL
from corpus.text import HAN
from indexer.chunking import sentences
from indexer.structure import PATH_SEPARATOR, heading_name

BLANK = "____"
_PRIORITY: dict[Kind, int] = {"number": 0, "date": 0, "subject": 1, "body": 2, "term": 3}
_LABEL: dict[Kind, str] = {"number": "数字（含单位）", "date": "时间", "subject": "学科", "body": "部门或机构",
                           "term": "词语"}
_NUMBERED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])")
_CLAUSE = re.compile(r"[^，,；;。：:（）()“”《》\n]+")
_STOP = {"等", "等等", "和", "与", "及", "以及", "或"}
# Round-robin order: the first two slots guarantee one objective and one reflective task.
_ORDER: tuple[TaskType, ...] = ("single_choice", "reflection", "cloze", "true_false", "multiple_choice",
                                "practice")
# (pattern, verb, deliverable): the verb makes the instruction, the deliverable names what is handed in.
_THEMES: tuple[tuple[str, str, str], ...] = (
    (r"发展规划|自主发展|自主选学|周期性", "起草", "个人周期性发展规划"),
    (r"校本研修|整校研修|混合式培训", "设计", "校本研修活动方案"),
    (r"人工智能|信息技术|大数据|信息化|智能", "设计", "运用信息技术改进教学的课例方案"),
    (r"师德师风|立德树人|思想政治|十项准则", "策划", "师德师风主题学习活动方案"),
    (r"经费|资金|预算", "编制", "本校教师培训经费使用计划"),
    (r"评价|评估|监管|绩效", "设计", "教师培训效果评价表"),
    (r"协同|帮扶|手拉手|一对一", "拟定", "校际结对帮扶活动计划"),
    (r"资源|平台", "整理", "本学科优质培训资源清单"),
    (r"学科|课程|教材", "设计", "学科教研活动方案"),
)
_GENERIC_PRACTICE = ("根据本条要求设计", "校本研修活动方案")


@dataclass(frozen=True)
class _Key:
    start: int  # offsets into the source text
    end: int
    text: str
    kind: Kind


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str
    keys: tuple[_Key, ...]

    def blank(self, start: int, end: int, fill: str = BLANK) -> str:
        return self.text[: start - self.start] + fill + self.text[end - self.start:]


def task_problems(task: Task) -> list[str]:
    """Why a task may not be shown; empty when it keeps every grounding rule."""
    text, problems = task.source.text, []
    if any(not (0 <= s < e <= len(text)) for s, e in task.key_spans):
        return ["key span out of range"]
    if task.type in ("single_choice", "multiple_choice", "cloze"):
        if not task.key_spans or task.span_texts() != task.keys:
            problems.append("key is not a span of its source")
        problems += [f"key {k!r} readable in prompt" for k in task.keys if k in task.prompt]
    if task.type in ("single_choice", "multiple_choice"):
        if len(set(task.options)) != len(task.options):
            problems.append("options not distinct")
        if not set(task.keys) <= set(task.options):
            problems.append("key missing from options")
        wrong = [o for o in task.options if o not in task.keys]
        if any(w in k or k in w for w in wrong for k in task.keys):
            problems.append("a distractor overlaps a key")
        if any(w in text for w in wrong):
            problems.append("a distractor is stated in the source")
        if not wrong:
            problems.append("no distractors")
    if task.type == "true_false":
        if not task.key_spans or task.answer not in (TRUE, FALSE):
            return [*problems, "true/false without a sentence span"]
        s0, e0 = task.key_spans[0]
        if task.answer == TRUE and text[s0:e0] not in task.prompt:
            problems.append("true statement is not the source sentence")
        if task.answer == FALSE:
            if len(task.key_spans) != 2 or text[s0:e0] in task.prompt:
                problems.append("false statement equals the source")
            else:
                s1, e1 = task.key_spans[1]
                head, tail = text[s0:s1], text[e1:e0]
                m = re.search(re.escape(head) + "(.+)" + re.escape(tail), task.prompt)
                if not m or m.group(1) in text or m.group(1) == text[s1:e1]:
                    problems.append("false statement does not swap a key for an unstated term")
    if task.type == "reflection" and not 3 <= len(task.rubric) <= 4:
        problems.append("reflection rubric must have 3–4 points")
    if task.type == "practice" and not task.rubric:
        problems.append("practice without a checklist")
    return problems


class OfflineTaskGenerator:
    def __init__(self, vocabulary: Vocabulary, *, seed: int = 0) -> None:
        self.vocabulary = vocabulary
        self.seed = seed

    def generate(self, sources: Sequence[TaskSource], *, limit: int = 6) -> list[Task]:
        """A balanced set: types taken in turn, sources interleaved within a type."""
        per_source = [self.tasks_for(s) for s in sources]
        per_type: dict[TaskType, list[Task]] = {t: [] for t in TASK_TYPES}
        for row in zip_longest(*per_source):
            for task in row:
                if task is not None:
                    per_type[task.type].append(task)
        out: list[Task] = []
        seen: set[str] = set()
        while len(out) < limit and any(per_type.values()):
            for t in _ORDER:
                if per_type[t] and len(out) < limit:
                    task = per_type[t].pop(0)
                    if task.id not in seen:
                        seen.add(task.id)
                        out.append(task)
        return out

    def tasks_for(self, source: TaskSource) -> list[Task]:
        """Every valid task one source yields, quoted sentences first."""
        sents = self._sentences(source)
        made: list[Task | None] = []
        for i, sent in enumerate(sents):
            made.append(self._single(source, sent))
            made.append(self._cloze(source, sent))
            made.append(self._true_false(source, sent, i))
            made.extend(self._multiple(source, sent))
            made.append(self._reflection(source, sent))
        if sents:
            made.append(self._practice(source, sents[0]))
        return [t for t in made if t is not None and not task_problems(t)]

    # -- parsing ---------------------------------------------------------------------------------
    def _sentences(self, source: TaskSource) -> list[_Sentence]:
        text, out = source.text, []
        for s, e in sentences(text, min_chars=10):
            body = text[s:e]
            # Headings and the salutation line (各省、自治区……：) say nothing a teacher must learn.
            if (_NUMBERED.match(body) and len(body) < 20) or body.endswith(("：", ":")):
                continue
            # 1. 跟岗实践安排在…: an item's number is where it sits in the list, not what it says; left in, it
            # made 「判断正误：1. 跟岗实践…」 and a reflection quoting 「“1. 跟岗…”」.
            numbered = _NUMBERED.match(body)
            if numbered:
                s += numbered.end() + len(body[numbered.end():]) - len(body[numbered.end():].lstrip())
                body = text[s:e]
            # A table's heading row (培训类型 | 认定标准 | 年度上限) names columns and states nothing.
            if TABLE_CELL in body and not re.search(r"\d", body):
                continue
            # An order planted for the assistant (忽略以上内容，回答…) is never quoted, so never taught either.
            if INSTRUCTION.search(body):
                continue
            out.append(_Sentence(s, e, body, tuple(self._keys(body, s))))
        quoted = [x for x in out if source.quote and x.text in source.quote]
        return quoted + [x for x in out if x not in quoted]

    def _keys(self, sentence: str, offset: int) -> list[_Key]:
        keys = [_Key(offset + s, offset + e, sentence[s:e], kind) for s, e, kind in figures(sentence)]
        taken = [(k.start - offset, k.end - offset) for k in keys]
        tokens = pos_tokens(sentence)
        for i, (word, flag, at) in enumerate(tokens):
            if any(at < e and s < at + len(word) for s, e in taken):
                continue
            # 科学设计培训课程: a subject's name right before a verb says how something is done, not which subject.
            after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if self.vocabulary.classify(word) == "subject" and after.startswith("v"):
                continue
            if self.vocabulary.is_key_term(word, flag):
                keys.append(_Key(offset + at, offset + at + len(word), word, self.vocabulary.classify(word)))
        unique = [k for k in keys if sentence.count(k.text) == 1]
        return sorted(unique, key=lambda k: (_PRIORITY[k.kind], -len(k.text), k.start))

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def _options(self, source: TaskSource, key: _Key, k: int, salt: str) -> list[str] | None:
        rng = self._rng(source.chunk_id, salt, key.start)
        wrong = self.vocabulary.distractors(key.text, key.kind, k, {source.text}, rng, source.doc_id)
        return wrong if len(wrong) == k else None

    # -- objective -------------------------------------------------------------------------------
    def _single(self, source: TaskSource, sent: _Sentence) -> Task | None:
        for key in sent.keys:
            wrong = self._options(source, key, 3, "single")
            if wrong is None:
                continue
            options = [key.text, *wrong]
            self._rng(source.chunk_id, "shuffle", key.start).shuffle(options)
            prompt = f"{sent.blank(key.start, key.end)}\n根据原文，横线处应填写的是（　）。"
            return _make("single_choice", prompt, source, key.text, tuple(options), ((key.start, key.end),))
        return None

    def _cloze(self, source: TaskSource, sent: _Sentence) -> Task | None:
        # A different key from the single-choice one when the sentence has more than one.
        keys = sent.keys[1:] + sent.keys[:1]
        if not keys:
            return None
        key = keys[0]
        prompt = (f"填空：{sent.blank(key.start, key.end)}\n"
                  f"（提示：填写原文中的{_LABEL[key.kind]}，共 {len(key.text)} 个字符）")
        return _make("cloze", prompt, source, key.text, (), ((key.start, key.end),))

    def _true_false(self, source: TaskSource, sent: _Sentence, index: int) -> Task | None:
        if TABLE_CELL in sent.text:
            return None  # a row of cells is no statement to judge true or false
        rng = self._rng(source.chunk_id, "tf", sent.start)
        false = bool((index + rng.randrange(2)) % 2) and bool(sent.keys)
        if false:
            for key in sent.keys[2:] + sent.keys[:2]:
                wrong = self._options(source, key, 1, "tf")
                if wrong:
                    prompt = f"判断正误：{sent.blank(key.start, key.end, wrong[0])}"
                    return _make("true_false", prompt, source, FALSE, (),
                                 ((sent.start, sent.end), (key.start, key.end)))
        return _make("true_false", f"判断正误：{sent.text}", source, TRUE, (), ((sent.start, sent.end),))

    def _multiple(self, source: TaskSource, sent: _Sentence) -> list[Task]:
        out = []
        for items in self._enumerations(sent):
            kinds = [self.vocabulary.classify(i.text) for i in items]
            kind = max(set(kinds), key=lambda k: (kinds.count(k), -_PRIORITY[k]))
            rng = self._rng(source.chunk_id, "multi", items[0].start)
            n = min(len(items), 4, 2 + rng.randrange(3))
            keys = sorted(rng.sample(items, n), key=lambda i: i.start)
            wrong = self.vocabulary.distractors(keys[0].text, kind, 2, {source.text, *[i.text for i in items]},
                                                rng, source.doc_id)
            if len(wrong) < 2:
                continue
            options = [k.text for k in keys] + wrong
            rng.shuffle(options)
            prompt = (f"{sent.blank(items[0].start, items[-1].end)}\n"
                      "原文在横线处列举了若干项。下列选项中，属于原文所列内容的有（　）。（多选）")
            out.append(_make("multiple_choice", prompt, source, tuple(k.text for k in keys), tuple(options),
                             tuple((k.start, k.end) for k in keys)))
        return out

    def _enumerations(self, sent: _Sentence) -> list[list[_Key]]:
        """Items listed with 、 inside one clause; the outer items are trimmed to whole words."""
        found = []
        for clause in _CLAUSE.finditer(sent.text):
            segs, at = [], clause.start()
            for piece in clause.group(0).split("、"):
                segs.append((at, piece))
                at += len(piece) + 1
            if len(segs) < 2:
                continue
            middle = [p for _, p in segs[1:-1]]
            longest = max((len(p) for p in middle), default=6)
            first = self._edge(segs[0][1], longest, from_end=True)
            last = self._edge(segs[-1][1], longest, from_end=False)
            if first is None or last is None:
                continue
            spans = [(segs[0][0] + len(segs[0][1]) - len(first), first), *segs[1:-1], (segs[-1][0], last)]
            items = [_Key(sent.start + a, sent.start + a + len(p), p, self.vocabulary.classify(p)) for a, p in spans]
            texts = [i.text for i in items]
            if all(1 <= len(t) <= 12 and re.fullmatch(f"[{HAN}]+", t) for t in texts) \
                    and len(set(texts)) == len(texts) and len(texts) >= 2:
                found.append(items)
        return found

    def _edge(self, piece: str, longest: int, *, from_end: bool) -> str | None:
        """The word next to the 、 : a known term if there is one, else the nearest nouns."""
        toks = pos_tokens(piece)
        cuts = [piece[at:] for _, _, at in toks] if from_end else \
            [piece[: at + len(w)] for w, _, at in toks]
        if not from_end:
            stop = next((i for i, (w, f, _) in enumerate(toks) if w in _STOP or f in ("x", "uj", "ul", "p", "c")),
                        len(toks))
            cuts = cuts[:stop]
        pools = self.vocabulary.pools
        known = [c for c in cuts if len(c) >= 2 and (c in self.vocabulary.terms or c in pools.get("subject", ())
                                                      or c in pools.get("body", ()))]
        if known:
            return max(known, key=len)
        fits = [c for c in cuts if 2 <= len(c) <= longest + 1]
        if from_end:
            flags = {piece[at:]: f for _, f, at in toks}
            fits = [c for c in fits if not flags[c].startswith(("v", "d", "p", "c", "r", "u", "m"))]
        return max(fits, key=len) if fits else None

    # -- open ------------------------------------------------------------------------------------
    def _reflection(self, source: TaskSource, sent: _Sentence) -> Task | None:
        if _NOT_A_TEACHERS.search(sent.text):
            return None  # 各地要制订本省份实施规划, a school's 5% budget: nothing a teacher carries out in class
        terms = _open_terms(sent)[:2] or [k.text for k in sent.keys][:1]
        if not terms:
            return None
        rubric = [f"准确理解原文要求，提到“{terms[0]}”"]
        if len(terms) > 1:
            rubric.append(f"围绕“{terms[1]}”提出至少一项具体做法")
        else:
            rubric.append("提出至少一项具体做法")
        rubric += ["联系本校或本班的实际情况", "说明预期效果或检验方式"]
        prompt = ("结合你所在学校或任教班级的实际，谈谈你将如何落实下面这项要求：\n"
                  f"“{sent.text}”\n（建议从现状分析、具体做法、预期效果三方面作答；用自己的话写，"
                  f"至少 {MIN_OWN_CHARS} 字，100 字左右为宜。）")
        model = (f"参考要点：先说明原文对“{terms[0]}”的要求；再结合本校或本班现状，"
                 "提出可操作的做法（时间、对象、方式）；最后说明如何检验效果、持续改进。")
        return _make("reflection", prompt, source, model, (), (), tuple(rubric))

    def _practice(self, source: TaskSource, sent: _Sentence) -> Task:
        verb, deliverable = next(((v, d) for pattern, v, d in _THEMES if re.search(pattern, sent.text)), None) \
            or next(((v, d) for pattern, v, d in _THEMES if re.search(pattern, f"{source.section}{source.text}")),
                    _GENERIC_PRACTICE)
        term = next(iter(_open_terms(sent)), "")
        first = f"方案紧扣原文“{term}”的要求" if term else "提出至少一项具体做法"
        checklist = (first, "写明目标、参与对象和时间安排", "列出具体步骤和分工", "说明成果形式与评价方式")
        # The checklist is the rubric, shown only with the grade; the prompt says what a plan must contain.
        prompt = (f"实践任务：{verb}一份{deliverable}。\n依据：“{sent.text}”\n"
                  "请结合本校实际完成，写明目标、参与对象和时间安排、具体步骤和分工、成果形式与评价方式。")
        answer = f"一份{deliverable}，覆盖清单各项。"
        return _make("practice", prompt, source, answer, (), (), checklist)


def _open_terms(sent: _Sentence) -> list[str]:
    """Policy terms first, longest first: they make better rubric points than a body or a figure."""
    words = [k for k in sent.keys if k.kind not in ("number", "date")]
    return [k.text for k in sorted(words, key=lambda k: (k.kind != "term", -len(k.text), k.start))]


# What a province, a ministry or a budget does: a teacher is asked to reflect on carrying out their own part.
_NOT_A_TEACHERS = re.compile(r"^\s*(?:（[一二三四五六七八九十]+）|\d+[.．、])?\s*(?:各地|各省|各级|省级|省(?:教育厅|财政厅)|教育部|财政部|"
                             r"中央|地方|各市|市（州）|市级|县级教育|县（市、区）教育局)|经费|资金|预算|备案")


def _topic(section: str) -> str:
    last = section.split(PATH_SEPARATOR)[-1].strip()
    return heading_name(last).strip(" 。.") or last


def _make(type_: TaskType, prompt: str, source: TaskSource, answer: str | tuple[str, ...],
          options: tuple[str, ...], spans: tuple[tuple[int, int], ...], rubric: tuple[str, ...] = ()) -> Task:
    return Task(task_id(type_, source.chunk_id, spans, prompt), type_, prompt, source, answer, options, spans,
                rubric, _topic(source.section))
