-- API users: a bearer token per user, stored only as a salted SHA-256 (tokens are 32 random bytes, so a
-- fast hash is enough); revoking keeps the row so uploads stay attributable.
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('teacher', 'trainer', 'admin')),
    token_salt TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_at TEXT
);
