"""Grade a teacher's response and always answer with the source it came from.

Objective tasks are graded exactly, after forgiving the ways a phone keyboard differs from the source
(full/half width, spaces, punctuation, case, option letters). Open tasks are graded by rubric coverage,
which can only say whether the points were touched, not how well: the feedback says so by listing what is
missing rather than pretending to a precise mark. Every feedback quotes the cited text, so the task
teaches even when the answer was wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.learning.tasks import FALSE, TRUE, Task
from indexer.chunking import sentences
from indexer.tokenizer import lexical_terms

PASS_COVERAGE = 0.6
MIN_OPEN_CHARS = 15

# Generic rubric points and the words that show a response addressed them.
RUBRIC_CUES: dict[str, tuple[str, ...]] = {
    "联系本校或本班的实际情况": ("本校", "我校", "学校", "本班", "我班", "班级", "学生", "课堂", "年级", "教研组"),
    "提出至少一项具体做法": ("做法", "措施", "开展", "组织", "设计", "安排", "首先", "计划", "实施", "落实"),
    "说明预期效果或检验方式": ("效果", "成效", "评价", "检验", "反思", "反馈", "提升", "改进", "考核"),
    "写明目标、参与对象和时间安排": ("目标", "对象", "时间", "学期", "每周", "每月", "周期", "参与", "全体"),
    "列出具体步骤和分工": ("步骤", "第一", "首先", "其次", "环节", "分工", "负责", "流程", "阶段"),
    "说明成果形式与评价方式": ("成果", "评价", "效果", "反馈", "考核", "展示", "总结", "评估"),
}
_TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "t", "true", "是", "yes", "y", "对的"}
_FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "x", "f", "false", "否", "no", "n", "错的", "不对"}
_KEEP = {"%", "+"}
_SEPARATORS = re.compile(r"[、,，;；/|\s]+|和|与|及")
_QUOTED = re.compile(r"“([^”]+)”")


@dataclass
class Grade:
    correct: bool
    score: float
    feedback: str
    covered: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """NFKC folds full width; punctuation and spaces go, but % and + stay because they change meaning."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace()
                   and (ch in _KEEP or not unicodedata.category(ch).startswith("P")))


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


def _letters(response: str, n_options: int) -> list[int] | None:
    """Option letters such as "A", "b", "A、C" or "AC"; None when the response is not letters only."""
    raw = _SEPARATORS.sub("", unicodedata.normalize("NFKC", response).strip()).lower()
    if not raw or not re.fullmatch(r"[a-z]+", raw):
        return None
    idx = [ord(c) - ord("a") for c in raw]
    return idx if all(i < n_options for i in idx) else None


def _chosen(task: Task, response: str | Sequence[str]) -> set[str] | None:
    """The option texts a response picks, by letter or by text; None if something matched nothing."""
    parts = [response] if isinstance(response, str) else list(response)
    by_norm = {normalize(o): o for o in task.options}
    picked: set[str] = set()
    for part in parts:
        letters = _letters(part, len(task.options))
        if letters is not None:
            picked.update(task.options[i] for i in letters)
            continue
        if normalize(part) in by_norm:
            picked.add(by_norm[normalize(part)])
            continue
        pieces = [p for p in _SEPARATORS.split(unicodedata.normalize("NFKC", part)) if p.strip()]
        for piece in pieces:
            letters = _letters(piece, len(task.options))
            if letters is not None:
                picked.update(task.options[i] for i in letters)
            elif normalize(piece) in by_norm:
                picked.add(by_norm[normalize(piece)])
            else:
                return None
    return picked


def _truth(response: str) -> str | None:
    word = normalize(response) or response.strip()
    if word in _TRUE_WORDS:
        return TRUE
    if word in _FALSE_WORDS:
        return FALSE
    return None


def rubric_terms(point: str) -> tuple[str, ...]:
    """Quoted source terms in a rubric point, or the cue words of a generic point."""
    return tuple(_QUOTED.findall(point)) or RUBRIC_CUES.get(point, tuple(lexical_terms(point)))


def _mentions(response: str, term: str) -> bool:
    norm = normalize(response)
    if normalize(term) in norm:
        return True
    parts = [p for p in lexical_terms(term) if len(p) >= 2 and p != term]
    return len(term) >= 4 and bool(parts) and sum(normalize(p) in norm for p in parts) * 2 >= len(parts)


def _grade_open(task: Task, response: str) -> Grade:
    if len(normalize(response)) < MIN_OPEN_CHARS:
        return Grade(False, 0.0, f"回答太简短了（至少 {MIN_OPEN_CHARS} 个字），请结合本校实际展开说明。"
                                 f"可参考以下要点：{'；'.join(task.rubric)}。{citation(task)}")
    covered = tuple(p for p in task.rubric
                    if any(_cues_hit(response, t, p) for t in rubric_terms(p)))
    score = len(covered) / len(task.rubric) if task.rubric else 1.0
    missing = [p for p in task.rubric if p not in covered]
    ok = score >= PASS_COVERAGE
    head = f"完成得不错，覆盖了 {len(covered)}/{len(task.rubric)} 个要点。" if ok else \
        f"已覆盖 {len(covered)}/{len(task.rubric)} 个要点，还需补充。"
    more = f"可以再补充：{'；'.join(missing)}。" if missing else ""
    return Grade(ok, round(score, 4), head + more + citation(task), covered)


def _cues_hit(response: str, term: str, point: str) -> bool:
    return normalize(term) in normalize(response) if point in RUBRIC_CUES else _mentions(response, term)


def grade(task: Task, response: str | Sequence[str]) -> Grade:
    text = response if isinstance(response, str) else "、".join(response)
    if not normalize(text) and not text.strip():
        return Grade(False, 0.0, "还没有作答，请先写下你的答案再提交。")
    if task.type in ("reflection", "practice"):
        return _grade_open(task, text)
    answer_text = "、".join(task.keys)
    if task.type == "true_false":
        truth = _truth(text)
        if truth is None:
            return Grade(False, 0.0, f"请用“正确”或“错误”（也可写 对/错、√/×）作答。{citation(task)}")
        ok = truth == task.answer
    elif task.type == "cloze":
        ok = normalize(text) == normalize(str(task.answer))
    else:
        picked = _chosen(task, response)
        if picked is None:
            labels = "、".join(f"{chr(65 + i)}" for i in range(len(task.options)))
            return Grade(False, 0.0, f"没有识别出你的选项，请填写选项字母（{labels}）或选项原文。{citation(task)}")
        keys = set(task.keys)
        ok = picked == keys
        if not ok and task.type == "multiple_choice" and picked:
            partial = max(0.0, (len(picked & keys) - len(picked - keys)) / len(keys))
            return Grade(False, round(partial, 4), f"回答不完全正确。正确答案：{answer_text}。{citation(task)}",
                         tuple(sorted(picked & keys)))
    if ok:
        return Grade(True, 1.0, f"回答正确！{citation(task)}", task.keys)
    return Grade(False, 0.0, f"回答错误。正确答案：{answer_text}。{citation(task)}")
