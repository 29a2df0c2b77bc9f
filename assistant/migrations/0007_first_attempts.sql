-- Only a teacher's first attempt at a task can earn credit; every later attempt is practice. Without this,
-- a wrong answer did not lock the task: answering A, then B, then C, then D always ended in credit.
ALTER TABLE attempts ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));

-- Attempts recorded before the rule: all but each teacher's first on a task become practice.
UPDATE attempts SET practice = 1
WHERE id NOT IN (SELECT MIN(id) FROM attempts GROUP BY teacher_id, task_id);

-- One first attempt per teacher and task, whatever the concurrency.
CREATE UNIQUE INDEX attempts_first_once ON attempts(teacher_id, task_id) WHERE practice = 0;
