from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from assistant.db import Database, _statements, migrate, migrations
from assistant.records import Records
from tests.assistant.records.conftest import NOON, add_task, record_attempt


def test_streak_counts_beijing_days_across_midnight(records: Records, teacher) -> None:
    add_task(records, "k1")
    before = datetime(2026, 3, 10, 15, 50, tzinfo=UTC)  # 23:50 Beijing, 3-10
    after = datetime(2026, 3, 10, 16, 10, tzinfo=UTC)  # 00:10 Beijing, 3-11 (same UTC day)
    record_attempt(records, teacher.id, "k1", "A", True, now=before)
    assert records.attempts.streak_days(teacher.id, before) == 1
    record_attempt(records, teacher.id, "k1", "A", True, now=after)
    assert records.attempts.streak_days(teacher.id, after) == 2
    # The next evening, before studying, the streak is still alive; a day later it is broken.
    assert records.attempts.streak_days(teacher.id, after + timedelta(hours=20)) == 2
    assert records.attempts.streak_days(teacher.id, after + timedelta(days=2)) == 0


def test_progress_weak_topics_and_credit(records: Records, teacher) -> None:
    add_task(records, "m1", "师德师风")
    add_task(records, "m2", "课程标准")
    add_task(records, "m3", "信息技术")
    add_task(records, "m4", "师德师风")
    records.record_answer(teacher.id, "m1", "B", False, now=NOON)
    records.record_answer(teacher.id, "m1", "A", True, now=NOON)  # right only after a miss: practice, no credit
    records.record_answer(teacher.id, "m4", "B", False, now=NOON)  # two tasks of the topic missed → weak
    records.record_answer(teacher.id, "m2", "A", True, now=NOON)
    records.record_answer(teacher.id, "m2", "A", True, now=NOON)  # second right answer: no second credit
    records.record_answer(teacher.id, "m3", "B", False, now=NOON)  # one slip only: not weak
    p = records.progress(teacher.id, NOON + timedelta(days=1))
    assert (p["attempts"], p["practice"]) == (6, 2)
    assert (p["answered"], p["correct"], p["accuracy"]) == (4, 1, 0.25)  # m2 of m1–m4, by their first answers
    assert p["weak_topics"] == ["师德师风"]
    assert p["streak_days"] == 1
    assert p["due_reviews"] == 2  # m3 and m4; m1's right answer put its review further off
    assert (p["hours"], p["credits"]) == (0.5, pytest.approx(0.05))  # m2 only


def test_accuracy_and_weak_topics_count_no_practice(records: Records, teacher) -> None:
    """46 answers at 50% where only 18 were first attempts: answering again can neither raise the accuracy nor
    make a topic weak."""
    for task_id in ("k1", "k2"):
        add_task(records, task_id, "课程标准")
    records.record_answer(teacher.id, "k1", "A", True, now=NOON)
    records.record_answer(teacher.id, "k2", "A", True, now=NOON)
    for _ in range(3):  # practice, all wrong
        records.record_answer(teacher.id, "k1", "B", False, now=NOON)
        records.record_answer(teacher.id, "k2", "B", False, now=NOON)
    p = records.progress(teacher.id, NOON)
    assert (p["attempts"], p["practice"], p["answered"], p["correct"], p["accuracy"]) == (8, 6, 2, 2, 1.0)
    assert p["weak_topics"] == []
    add_task(records, "k3", "信息技术")
    for _ in range(5):  # a wrong first answer, then practice that gets it right: still one task missed
        records.record_answer(teacher.id, "k3", "A", _ > 0, now=NOON)
    p = records.progress(teacher.id, NOON)
    assert (p["answered"], p["correct"]) == (3, 2) and p["weak_topics"] == []


def test_an_open_task_counts_as_right_once_it_passes(records: Records, teacher) -> None:
    add_task(records, "r1", "师德师风", kind="reflection")
    add_task(records, "r2", "师德师风", kind="practice")
    records.record_answer(teacher.id, "r1", "初稿", False, now=NOON)
    records.record_answer(teacher.id, "r1", "二稿", True, now=NOON)
    records.record_answer(teacher.id, "r2", "初稿", False, now=NOON)
    p = records.progress(teacher.id, NOON)
    assert (p["attempts"], p["practice"], p["answered"], p["correct"]) == (3, 0, 2, 1)


def test_a_weak_topic_names_the_document_it_was_missed_in(records: Records, teacher) -> None:
    """Two documents have a 三、保障措施: the weak one is where the teacher's counted answers went wrong most."""
    topic = "三、保障措施"
    for task_id, doc, right in (("n1", "notice", True), ("n2", "notice", False), ("c1", "county", False),
                                ("c2", "county", False)):
        records.tasks.save({"id": task_id, "type": "single_choice", "topic": topic,
                            "source": {"doc_id": doc, "title": f"{doc} 的标题"}})
        record_attempt(records, teacher.id, task_id, "A", right, NOON)
    record_attempt(records, teacher.id, "n1", "B", False, NOON)  # practice: not counted
    assert records.attempts.weak_topics(teacher.id) == [topic]
    assert records.attempts.weak_source(teacher.id, topic) == ("county", "county 的标题")
    assert records.attempts.weak_source(teacher.id, "没有作答过的主题") is None


def test_unknown_task_or_teacher_is_refused_in_chinese(records: Records, teacher) -> None:
    with pytest.raises(LookupError, match="找不到学习任务"):
        records.record_answer(teacher.id, "nope", "A", True)
    add_task(records, "k1")
    with pytest.raises(LookupError, match="找不到教师"):
        records.record_answer("t_0000000000000000", "k1", "A", True)
    assert records.progress(teacher.id)["attempts"] == 0


def test_tasks_round_trip_as_dicts(records: Records) -> None:
    add_task(records, "k1", "核心素养")
    assert records.tasks.get("k1")["question"] == "题目"
    assert records.tasks.get("missing") is None
    with pytest.raises(ValueError, match="缺少 id"):
        records.tasks.save({"topic": "x"})


def test_a_wrong_first_answer_locks_the_task(records: Records, teacher) -> None:
    """A→B→C→D used to end in full credit: the credit went to the first right answer, however late."""
    add_task(records, "k1")
    outcomes = [records.record_answer(teacher.id, "k1", letter, letter == "D", now=NOON) for letter in "ABCD"]
    assert [o.practice for o in outcomes] == [False, True, True, True]
    assert outcomes[-1].correct and outcomes[-1].credited is None
    assert records.ledger.balance(teacher.id) == (0.0, 0.0)
    assert [a["practice"] for a in records.attempts.attempts(teacher.id)] == [0, 1, 1, 1]


def test_right_first_answer_is_credited_and_the_next_one_is_practice(records: Records, teacher) -> None:
    add_task(records, "k1")
    first = records.record_answer(teacher.id, "k1", "A", True, now=NOON)
    again = records.record_answer(teacher.id, "k1", "A", True, now=NOON)
    assert not first.practice and first.credited is not None
    assert again.practice and again.credited is None
    assert "练习" in records.exports.teacher_csv(teacher.id) and "答题" in records.exports.teacher_csv(teacher.id)


def test_an_open_task_counts_its_attempts_until_one_passes(records: Records, teacher) -> None:
    """A reflection whose feedback asks for a rewrite: the rewrite that passes earns the credit, once."""
    add_task(records, "r1", kind="reflection")
    outcomes = [records.record_answer(teacher.id, "r1", text, ok, now=NOON)
                for text, ok in [("初稿", False), ("二稿", False), ("三稿", True), ("四稿", True), ("五稿", False)]]
    assert [o.practice for o in outcomes] == [False, False, False, True, True]
    assert [o.credited is not None for o in outcomes] == [False, False, True, False, False]
    assert records.ledger.balance(teacher.id) == (0.5, pytest.approx(0.05))
    assert [a["practice"] for a in records.attempts.attempts(teacher.id)] == [0, 0, 0, 1, 1]


def test_the_database_refuses_a_second_counted_attempt(records: Records, teacher) -> None:
    """The rule holds below the code too: one counted attempt per objective task, one counted pass per open one."""
    add_task(records, "k1")
    add_task(records, "r1", kind="practice")
    insert = ("INSERT INTO attempts (teacher_id, task_id, correct, created_at, practice) VALUES (?, ?, ?, 'x', 0)")
    with records.db.transaction() as conn:
        conn.execute(insert, (teacher.id, "k1", 0))
        conn.execute(insert, (teacher.id, "r1", 0))
        conn.execute(insert, (teacher.id, "r1", 0))  # a second failed draft of an open task still counts
        conn.execute(insert, (teacher.id, "r1", 1))
    for task_id, correct in [("k1", 1), ("k1", 0), ("r1", 0), ("r1", 1)]:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), records.db.transaction() as conn:
            conn.execute(insert, (teacher.id, task_id, correct))


def _race(path, teacher_id: str, task_id: str, n: int = 20) -> None:
    """``n`` threads, each with its own connection, answer at the same moment; odd ones right."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def answer(i: int) -> None:
        records = Records(Database(path), credit_hours_per_task=0.5)
        barrier.wait()
        try:
            records.record_answer(teacher_id, task_id, "A" if i % 2 else "B", bool(i % 2))
        except BaseException as exc:  # reported below, with the thread's traceback lost otherwise
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_concurrent_first_attempts_one_wins_and_credit_follows_it(tmp_path) -> None:
    """Twenty concurrent attempts at one task by one teacher, right and wrong mixed: exactly one is the
    first, and there is credit iff that one was right."""
    path = tmp_path / "race.sqlite3"
    records = Records(Database(path), credit_hours_per_task=0.5)
    for round_ in range(5):
        teacher = records.teachers.get_or_create_by_channel("api", f"race-{round_}")
        add_task(records, f"k{round_}")
        _race(path, teacher.id, f"k{round_}")
        rows = records.attempts.attempts(teacher.id)
        firsts = [r for r in rows if not r["practice"]]
        assert len(rows) == 20 and len(firsts) == 1
        assert len(records.ledger.entries(teacher.id)) == int(bool(firsts[0]["correct"]))


def test_concurrent_drafts_of_an_open_task_are_credited_once(tmp_path) -> None:
    """Twenty concurrent drafts, right and wrong mixed: one counted pass, one credit, the rest after it practice."""
    path = tmp_path / "race.sqlite3"
    records = Records(Database(path), credit_hours_per_task=0.5)
    teacher = records.teachers.get_or_create_by_channel("api", "drafts")
    add_task(records, "r1", kind="reflection")
    _race(path, teacher.id, "r1")
    rows = sorted(records.attempts.attempts(teacher.id), key=lambda r: r["id"])  # in the order they were written
    counted = [r for r in rows if not r["practice"]]
    assert len(rows) == 20 and [r["correct"] for r in counted].count(1) == 1 and counted[-1]["correct"] == 1
    assert all(r["practice"] for r in rows[rows.index(counted[-1]) + 1:])
    assert len(records.ledger.entries(teacher.id)) == 1


def test_migration_turns_repeats_recorded_before_the_rule_into_practice(tmp_path) -> None:
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    for number, name, sql in migrations():
        if number < 7:  # the schema as it was before first attempts were told apart
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
    conn.execute("INSERT INTO teachers (id, created_at, updated_at) VALUES ('t1', 'x', 'x')")
    conn.execute("INSERT INTO tasks (id, payload, created_at) VALUES ('k1', '{}', 'x'), ('k2', '{}', 'x')")
    for task, correct in [("k1", 0), ("k1", 1), ("k2", 1), ("k1", 1)]:
        conn.execute("INSERT INTO attempts (teacher_id, task_id, correct, created_at) VALUES ('t1', ?, ?, 'x')",
                     (task, correct))
    assert "0007_first_attempts.sql" in migrate(conn)
    rows = conn.execute("SELECT task_id, practice FROM attempts ORDER BY id").fetchall()
    assert rows == [("k1", 0), ("k1", 1), ("k2", 0), ("k1", 1)]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO attempts (teacher_id, task_id, correct, created_at, practice)"
                     " VALUES ('t1', 'k2', 1, 'x', 0)")
