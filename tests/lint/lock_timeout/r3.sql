-- Revision ID: r3
-- Revises: r2
-- migrate:upgrade
ALTER TABLE t ADD COLUMN b int;
ALTER TABLE u ADD COLUMN b int;
