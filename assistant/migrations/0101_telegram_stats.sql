-- Bot usage for /stats: plain counters (questions, abstentions) and each Telegram user's last active day,
-- which is all "active teachers" needs; no question text or answer is kept here.
CREATE TABLE IF NOT EXISTS telegram_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS telegram_activity (
    telegram_id INTEGER PRIMARY KEY,
    last_seen TEXT NOT NULL
);
