-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE a VALIDATE CONSTRAINT a_w;
-- retort:ignore rename-table the old name is a view from the previous release
ALTER TABLE a RENAME TO b;
-- what r1 and this revision said of 'a' now holds for 'b'
ALTER TABLE b ALTER COLUMN v TYPE varchar(20);
ALTER TABLE b ALTER COLUMN w SET NOT NULL;
ALTER TABLE b ALTER COLUMN v TYPE varchar(5);
