"""The seed set is only a yardstick if its gold data is right: every span really in the notice, every
section path real, every question a teacher's own words rather than a copy of the answer."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import load_dataset
from evals.metrics import has_common_run, normalize
from evals.runner import SEED_PATH

NOTICE_PATH = Path(__file__).resolve().parents[2] / "corpus" / "data" / "policy" / "jiaoshihan-2021-4.txt"
MIN_COPY_CHARS = 12
# The title, the 简称 sentence and the closing paragraph all restate the name and the 2021—2025 span, so
# for these questions a half-match elsewhere is a genuinely correct hit, not a loose gold span.
RESTATED_ELSEWHERE = {"seed-002", "seed-003"}

_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^（[一二三四五六七八九十]+）"),
    re.compile(r"^\d+\.\s"),
)


def _sections(notice: str) -> dict[str, str]:
    """Section path -> normalized text under it (subsections included), parsed from the heading markers."""
    spans: list[tuple[tuple[str, ...], int]] = []  # (path, start offset in the line list)
    lines = [ln.strip() for ln in notice.splitlines() if ln.strip()]
    path: list[str] = []
    for i, line in enumerate(lines):
        for level, pat in enumerate(_LEVELS):
            if pat.match(line):
                path = [*path[:level], line.split("。", 1)[0]]
                spans.append((tuple(path), i))
                break
    out = {"前言": normalize("".join(lines[: spans[0][1]]))}
    for n, (p, start) in enumerate(spans):
        end = next((s for q, s in spans[n + 1 :] if len(q) <= len(p)), len(lines))
        out[" > ".join(p)] = normalize("".join(lines[start:end]))
    return out


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_dataset(SEED_PATH)


@pytest.fixture(scope="module")
def notice() -> str:
    return NOTICE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(notice: str) -> dict[str, str]:
    return _sections(notice)


def test_section_parser_sees_the_whole_outline(sections: dict[str, str]) -> None:
    assert "三、保障措施 > （二）强化经费保障" in sections
    assert (
        "二、重点工作 > （二）推进重点改革，完善高质量精准化的培训机制 > 3. 完善教师自主发展机制" in sections
    )
    assert sum(1 for s in sections if re.search(r"> \d+\. ", s)) == 10
    # the closing paragraph physically belongs to 三（二）
    assert normalize("其中2021年于5月底前报送") in sections["三、保障措施 > （二）强化经费保障"]


def test_ids_unique_and_well_formed(items: list[dict]) -> None:
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"seed-\d{3}", i) for i in ids)
    assert len(items) >= 90


def test_category_counts(items: list[dict]) -> None:
    cats = Counter(it["category"] for it in items)
    answerable = [it for it in items if it["answerable"]]
    unanswerable = [it for it in items if not it["answerable"]]
    assert len(answerable) >= 65
    assert len(unanswerable) >= 20
    for cat in ("english", "traditional", "false_premise", "followup"):
        assert cats[cat] >= 5, cat
    assert cats["offtopic"] >= 12
    assert cats["out_of_kb"] >= 6
    assert cats["paraphrase"] == max(cats.values())
    allowed = {
        "paraphrase",
        "keyword",
        "english",
        "traditional",
        "false_premise",
        "followup",
        "offtopic",
        "out_of_kb",
    }
    assert set(cats) <= allowed
    assert {it["category"] for it in unanswerable} <= {"offtopic", "out_of_kb"}
    assert {it["category"] for it in answerable}.isdisjoint({"offtopic", "out_of_kb"})


def test_evidence_is_verbatim_in_notice(items: list[dict], notice: str) -> None:
    flat = normalize(notice)
    for it in items:
        assert len(it["evidence"]) <= 2, it["id"]
        for span in it["evidence"]:
            assert normalize(span) in flat, (it["id"], span)


def test_must_include_covered_by_evidence(items: list[dict]) -> None:
    for it in items:
        assert len(it["must_include"]) <= 3, it["id"]
        if it["answerable"]:
            assert it["must_include"], it["id"]
        for m in it["must_include"]:
            assert any(normalize(m) in normalize(e) for e in it["evidence"]), (it["id"], m)


def test_unanswerable_have_no_gold(items: list[dict]) -> None:
    for it in items:
        if not it["answerable"]:
            assert it["evidence"] == [] and it["must_include"] == [], it["id"]
        else:
            assert it["evidence"], it["id"]


def test_evidence_is_unambiguous_under_half_match(items: list[dict], notice: str) -> None:
    """covers() accepts half a span, so that half must not also occur somewhere else in the notice."""
    flat = normalize(notice)
    for it in items:
        if it["id"] in RESTATED_ELSEWHERE:
            continue
        rest = [flat]
        for span in map(normalize, it["evidence"]):
            rest = [piece for r in rest for piece in r.split(span)]
        for span in map(normalize, it["evidence"]):
            need = -(-len(span) // 2)
            assert not any(has_common_run(r, span, need) for r in rest), (it["id"], span)


def test_questions_are_not_copies_of_evidence(items: list[dict]) -> None:
    for it in items:
        q = normalize(it["question"])
        for span in it["evidence"]:
            s = normalize(span)
            assert not (len(s) >= MIN_COPY_CHARS and s in q), (it["id"], span)


def test_sections_exist_and_hold_the_gold_passage(items: list[dict], sections: dict[str, str]) -> None:
    for it in items:
        if not it["answerable"]:
            continue
        assert it["section"] in sections, (it["id"], it["section"])
        # the first span is the gold passage; a second one may be where the notice restates the answer
        assert normalize(it["evidence"][0]) in sections[it["section"]], (it["id"], it["evidence"][0])


def test_every_part_of_the_notice_is_asked_about(items: list[dict], sections: dict[str, str]) -> None:
    asked = Counter(it["section"] for it in items if it["answerable"])
    leaves = [s for s in sections if not any(t.startswith(s + " > ") for t in sections)]
    assert len(leaves) == 15  # 前言, 一（一）（二）, items 1–10, 三（一）（二）
    for sec in [*leaves, "一、基本思路"]:
        assert asked[sec] >= 2, sec
    closing = [
        it for it in items if any(k in "".join(it["evidence"]) for k in ("备案", "2月底前", "5月底前"))
    ]
    assert len(closing) >= 3


def test_followups_carry_history(items: list[dict]) -> None:
    for it in items:
        if it["category"] == "followup":
            roles = [t["role"] for t in it.get("history") or []]
            assert roles[:2] == ["user", "assistant"], it["id"]
            assert re.search(r"它|这个|这些|那|这笔", it["question"]), it["id"]
        else:
            assert "history" not in it, it["id"]


def test_language_categories_look_right(items: list[dict]) -> None:
    for it in items:
        if it["category"] == "english":
            assert re.fullmatch(r"[\x20-\x7e]+", it["question"]), it["id"]
        if it["category"] == "traditional":
            assert re.search(r"[學經費國計劃總時鄉規優發嗎麼]", it["question"]), it["id"]
