-- Generated learning tasks (payload = Task.to_dict()), each teacher's answers, and spaced review state.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    source_chunk_id TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    created_at TEXT NOT NULL
);

CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    teacher_id TEXT NOT NULL REFERENCES teachers(id),
    task_id TEXT NOT NULL REFERENCES tasks(id),
    response TEXT NOT NULL DEFAULT '',
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    score REAL,
    created_at TEXT NOT NULL
);

CREATE INDEX attempts_teacher_time ON attempts(teacher_id, created_at);

CREATE TABLE reviews (
    teacher_id TEXT NOT NULL REFERENCES teachers(id),
    task_id TEXT NOT NULL REFERENCES tasks(id),
    due_at TEXT NOT NULL,
    interval_days INTEGER NOT NULL CHECK (interval_days >= 1),
    ease REAL NOT NULL,
    repetitions INTEGER NOT NULL DEFAULT 0,
    last_result INTEGER NOT NULL CHECK (last_result IN (0, 1)),
    PRIMARY KEY (teacher_id, task_id)
);

CREATE INDEX reviews_due ON reviews(teacher_id, due_at);
