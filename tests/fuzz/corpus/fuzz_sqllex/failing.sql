-- Message: breaks on purpose
-- Revision ID: f2f2f2f2f2f2
-- Revises: f1f1f1f1f1f1

-- migrate:upgrade
ALTER TABLE widgets ADD COLUMN size int;
-- the next statement fails: the column is misspelt
UPDATE widgets
   SET size = 1
 WHERE nmae = 'one';

-- migrate:downgrade
ALTER TABLE widgets DROP COLUMN size;
