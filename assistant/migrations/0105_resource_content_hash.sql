-- What a resource holds, so the same content is not uploaded twice (every answer would then quote the same
-- sentence as [1] and [2]): the SHA-256 of the uploaded file's bytes, and of the text it was parsed and
-- chunked into (the same text re-saved or re-encoded is still the same content). Both describe the live
-- version and are written when it goes live (a new upload's file hash when it is accepted). NULL on rows
-- from before this migration: SQLite cannot hash, so the resource service fills them in from the kept
-- file and the stored chunks before it first compares an upload; '' where that cannot be known.
ALTER TABLE resources ADD COLUMN file_sha256 TEXT;
ALTER TABLE resources ADD COLUMN text_sha256 TEXT;
CREATE INDEX resources_file_sha256 ON resources (file_sha256);
CREATE INDEX resources_text_sha256 ON resources (text_sha256);
