-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
CREATE INDEX old_id2 ON old (id);
