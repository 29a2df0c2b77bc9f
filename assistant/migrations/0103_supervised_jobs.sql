-- Background work of every kind (indexing an upload, an eval run) as supervised jobs: queued → running
-- (owner = host:pid:token of the process, heartbeat every few seconds) → done | failed (with a reason) |
-- cancelled. params hold what is needed to run the job again after a restart.
CREATE TABLE jobs_supervised (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('index', 'eval')),
    target TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    stage TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    owner TEXT,
    heartbeat_at TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    started_at TEXT,
    finished_at TEXT
);
-- Jobs of the old table that were still running have no owner: the supervisor marks them failed.
INSERT INTO jobs_supervised (id, kind, target, action, status, progress, error, created_by, created_at, finished_at)
    SELECT id, 'index', resource_id, action, status, CASE WHEN status = 'done' THEN 1 ELSE 0 END, error,
           created_by, created_at, finished_at
    FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_supervised RENAME TO jobs;
CREATE INDEX jobs_status ON jobs (status, kind, created_at);
CREATE INDEX jobs_target ON jobs (target);
