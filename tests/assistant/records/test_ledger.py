from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.records import LedgerError, Records
from tests.assistant.records.conftest import award_for_task

amounts = st.floats(min_value=-50, max_value=50, allow_nan=False).map(lambda x: round(x, 2))
ops = st.lists(st.one_of(st.tuples(st.just("add"), amounts, amounts),
                         st.tuples(st.just("correct"), st.integers(0, 30), st.just(0.0))), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_balance_is_always_the_sum_of_entries(records: Records, sequence) -> None:
    t = records.teachers.get_or_create_by_channel("api", uuid.uuid4().hex)
    ids: list[int] = []
    for op, a, b in sequence:
        if op == "add":
            ids.append(records.ledger.add(t.id, a, b, "培训学时", "training", "p1").id)
        elif ids:
            target = ids[int(a) % len(ids)]
            with contextlib.suppress(LedgerError):  # already corrected: refused, nothing written
                records.ledger.correct(target, "录入错误")
        entries = records.ledger.entries(t.id)
        hours, credits = records.ledger.balance(t.id)
        assert hours == pytest.approx(sum(e.hours for e in entries), abs=1e-6)
        assert credits == pytest.approx(sum(e.credits for e in entries), abs=1e-6)
    corrected = [e.corrects_entry for e in records.ledger.entries(t.id) if e.corrects_entry is not None]
    assert len(corrected) == len(set(corrected))


def test_correction_negates_and_cannot_repeat(records, teacher) -> None:
    e = records.ledger.add(teacher.id, 2.0, 0.2, "校本研修", "training", "x")
    c = records.ledger.correct(e.id, "重复登记")
    assert (c.hours, c.credits, c.corrects_entry, c.source_kind) == (-2.0, -0.2, e.id, "correction")
    assert records.ledger.balance(teacher.id) == (0.0, 0.0)
    with pytest.raises(LedgerError, match="已经更正"):
        records.ledger.correct(e.id, "再来一次")
    with pytest.raises(LedgerError, match="更正记录"):
        records.ledger.correct(c.id, "更正更正")
    assert len(records.ledger.entries(teacher.id)) == 2


@pytest.mark.parametrize("sql", ["UPDATE credit_ledger SET hours = 100", "DELETE FROM credit_ledger"])
def test_ledger_rows_cannot_be_updated_or_deleted(records, teacher, sql) -> None:
    records.ledger.add(teacher.id, 1.0, 0.1, "讲座", "resource", "r1")
    with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
        records.db.conn.execute(sql)
    assert records.ledger.balance(teacher.id) == (1.0, 0.1)


def test_award_for_task_is_idempotent(records, teacher) -> None:
    assert award_for_task(records, teacher.id, "k1", 0.5, 0.05, "完成任务") is not None
    assert award_for_task(records, teacher.id, "k1", 0.5, 0.05, "完成任务") is None
    with pytest.raises(LedgerError, match="不能重复"):
        records.ledger.add(teacher.id, 0.5, 0.05, "完成任务", "task", "k1")
    assert records.ledger.balance(teacher.id) == (0.5, 0.05)


def test_twenty_threads_award_same_and_different_tasks(records, teacher) -> None:
    barrier = threading.Barrier(20)
    results: list[object] = []
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results.append(award_for_task(records, teacher.id, "shared", 1.0, 0.1, "共同任务"))
            results.append(award_for_task(records, teacher.id, f"own-{i}", 1.0, 0.1, "各自任务"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    entries = records.ledger.entries(teacher.id)
    assert sorted(e.source_id for e in entries) == sorted(["shared", *(f"own-{i}" for i in range(20))])
    assert sum(r is not None for r in results) == 21
    assert records.ledger.balance(teacher.id) == (21.0, pytest.approx(2.1))
