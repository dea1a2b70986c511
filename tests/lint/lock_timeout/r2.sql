-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE t ADD COLUMN a int;
