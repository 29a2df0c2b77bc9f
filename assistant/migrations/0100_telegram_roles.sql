-- Telegram accounts with a role above teacher (anyone not listed is a teacher), and one-time invite codes.
-- user_id links a trainer/admin to a row in users, so their uploads are attributed like API uploads.
CREATE TABLE IF NOT EXISTS telegram_roles (
    telegram_id INTEGER PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('teacher', 'trainer', 'admin')),
    user_id INTEGER REFERENCES users(id),
    granted_by INTEGER,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS telegram_invites (
    code TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('trainer', 'admin')),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    used_by INTEGER,
    used_at TEXT
);
