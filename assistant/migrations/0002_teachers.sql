-- Teachers are our own ids ("t_<random>"); every channel (telegram, cli, api…) maps its user id to one.
CREATE TABLE teachers (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    school_level TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    reminder_time TEXT CHECK (reminder_time IS NULL OR reminder_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE teacher_channels (
    teacher_id TEXT NOT NULL REFERENCES teachers(id),
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (channel, external_id)
);

CREATE INDEX teacher_channels_teacher ON teacher_channels(teacher_id);
