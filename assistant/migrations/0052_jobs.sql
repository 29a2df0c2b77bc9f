-- Background indexing of large uploads: the client polls /v1/jobs/{id}.
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    resource_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('upload', 'replace')),
    status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    error TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at TEXT
);
