-- 网络匿名评估: nothing here may identify who spoke or when exactly. No person/channel id, no hash of one,
-- no exact time (period is an ISO week). The random TEXT key and WITHOUT ROWID mean neither the key nor
-- the physical order follows insertion order.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('answer', 'training', 'resource')),
    target_ref TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'),
    channel_kind TEXT
) WITHOUT ROWID;
