-- Trainer uploads: one row per resource (its doc_id in the knowledge base); replacing bumps version.
CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'resource',
    subject TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL,
    uploader_id INTEGER NOT NULL REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    chunks INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'indexing' CHECK (status IN ('indexing', 'ready', 'failed')),
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS resources_uploader ON resources (uploader_id);
