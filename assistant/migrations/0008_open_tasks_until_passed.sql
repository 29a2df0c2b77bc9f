-- An open task (reflection, practice) that does not pass asks for a rewrite, so a failed attempt no longer uses
-- up its credit: every attempt until the first pass counts (practice = 0) and only those after it are practice.
-- Objective tasks keep one counted attempt, the first. A partial index cannot read the task's type, so the rule
-- "one counted attempt" becomes a trigger over both kinds, and the index keeps one counted pass per task.
DROP INDEX attempts_first_once;

CREATE UNIQUE INDEX attempts_passed_once ON attempts(teacher_id, task_id) WHERE practice = 0 AND correct = 1;

CREATE TRIGGER attempts_counted_once BEFORE INSERT ON attempts
WHEN NEW.practice = 0 AND EXISTS (
    SELECT 1 FROM attempts a
    WHERE a.teacher_id = NEW.teacher_id AND a.task_id = NEW.task_id AND a.practice = 0
      AND (a.correct = 1
           OR COALESCE((SELECT t.type FROM tasks t WHERE t.id = NEW.task_id), '') NOT IN ('reflection', 'practice'))
)
BEGIN
    SELECT RAISE(ABORT, 'UNIQUE constraint failed: attempts counted once per task');
END;
