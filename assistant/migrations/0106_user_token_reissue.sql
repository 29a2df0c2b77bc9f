-- A token can be issued again (a leaked one replaced, a revoked account given back its records) and the
-- role changed with it. The console sessions signed in before that moment must end with the old token, so
-- the moment is kept (Unix seconds; 0 for a token never reissued).
ALTER TABLE users ADD COLUMN token_issued_at INTEGER NOT NULL DEFAULT 0;
