-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE a RENAME COLUMN old TO new;
ALTER TABLE a DROP COLUMN gone;
ALTER TABLE b RENAME TO bee;
DROP TABLE c;
CREATE TABLE tmp (id int, x int);
ALTER TABLE tmp RENAME COLUMN x TO y;
ALTER TABLE tmp RENAME TO tmp2;
DROP TABLE tmp2;
