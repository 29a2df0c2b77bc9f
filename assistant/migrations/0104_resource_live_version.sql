-- The version of a resource's chunks that may be searched: switched in one transaction when indexing
-- finishes, so chunks of an unfinished (or crashed) upload are never answered from. NULL on rows from
-- before this column: for those, whatever the store holds is live.
ALTER TABLE resources ADD COLUMN live_version TEXT;
