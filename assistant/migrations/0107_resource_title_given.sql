-- Where a resource's title came from. title_given: typed by the trainer (1) or read from its file (0); a
-- replacement without a title keeps a typed one and follows the new file's own title otherwise
-- (assistant.resource_changes). own_title: what the live version's file calls itself ('' for nothing), so a
-- replacement that keeps a typed title mentions the file's own only when it is new. Both NULL on rows from
-- before they were kept: the title counts as typed (kept, as it always was) and the file's own as unknown.
ALTER TABLE resources ADD COLUMN title_given INTEGER;
ALTER TABLE resources ADD COLUMN own_title TEXT;
