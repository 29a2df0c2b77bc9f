-- Baseline: the schema_migrations table itself is created by assistant/db.py before any migration runs.
-- Later migrations add tables; a migration that has shipped is never edited.
CREATE TABLE IF NOT EXISTS app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
