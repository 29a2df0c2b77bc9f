-- 学分银行: an append-only ledger. Mistakes are fixed by a correcting entry, never by editing history.
CREATE TABLE credit_ledger (
    id INTEGER PRIMARY KEY,
    teacher_id TEXT NOT NULL REFERENCES teachers(id),
    hours REAL NOT NULL,
    credits REAL NOT NULL,
    reason TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_id TEXT NOT NULL DEFAULT '',
    corrects_entry INTEGER REFERENCES credit_ledger(id),
    created_at TEXT NOT NULL
);

CREATE INDEX credit_ledger_teacher ON credit_ledger(teacher_id, id);

-- A task is credited at most once per teacher, whatever the concurrency.
CREATE UNIQUE INDEX credit_ledger_task_once ON credit_ledger(teacher_id, source_kind, source_id)
    WHERE source_kind = 'task';

-- An entry is corrected at most once.
CREATE UNIQUE INDEX credit_ledger_corrected_once ON credit_ledger(corrects_entry)
    WHERE corrects_entry IS NOT NULL;

CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger
BEGIN
    SELECT RAISE(ABORT, '学分账本只能追加，不能修改；请用更正记录');
END;

CREATE TRIGGER credit_ledger_no_delete BEFORE DELETE ON credit_ledger
BEGIN
    SELECT RAISE(ABORT, '学分账本只能追加，不能删除；请用更正记录');
END;
