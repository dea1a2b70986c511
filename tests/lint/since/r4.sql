-- Revision ID: r4
-- Revises: r3
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- created by r3, in the same run: still empty
CREATE INDEX new_id ON new (id);
CREATE INDEX old_id4 ON old (id);
