-- One personal study plan (自主选学) per teacher, as JSON so its shape can evolve without migrations.
CREATE TABLE plans (
    teacher_id TEXT PRIMARY KEY REFERENCES teachers(id),
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
