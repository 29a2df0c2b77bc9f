-- Roles, invites and usage counters become core concepts shared by every channel, not Telegram tables.
-- A channel account (channel + its own id) with no row in channel_roles is a teacher.
CREATE TABLE channel_roles (
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('teacher', 'trainer', 'admin')),
    user_id INTEGER REFERENCES users(id),
    granted_by TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (channel, external_id)
);
INSERT INTO channel_roles (channel, external_id, role, user_id, granted_by, updated_at)
    SELECT 'telegram', CAST(telegram_id AS TEXT), role, user_id,
           CASE WHEN granted_by IS NULL THEN NULL ELSE 'telegram:' || granted_by END, updated_at
    FROM telegram_roles;
DROP TABLE telegram_roles;

-- One-time invite codes; created_by and used_by are channel accounts ("telegram:123").
CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('trainer', 'admin')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    used_by TEXT,
    used_at TEXT
);
INSERT INTO invites (code, role, created_by, created_at, used_by, used_at)
    SELECT code, role, 'telegram:' || created_by, created_at,
           CASE WHEN used_by IS NULL THEN NULL ELSE 'telegram:' || used_by END, used_at
    FROM telegram_invites;
DROP TABLE telegram_invites;

-- Plain counters per channel and each account's last active day; no question text is ever kept.
CREATE TABLE usage_counters (
    channel TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, name)
);
INSERT INTO usage_counters (channel, name, value) SELECT 'telegram', name, value FROM telegram_counters;
DROP TABLE telegram_counters;

CREATE TABLE usage_activity (
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (channel, external_id)
);
INSERT INTO usage_activity (channel, external_id, last_seen)
    SELECT 'telegram', CAST(telegram_id AS TEXT), last_seen FROM telegram_activity;
DROP TABLE telegram_activity;
