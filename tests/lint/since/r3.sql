-- Revision ID: r3
-- Revises: r2
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
CREATE TABLE new (id int);
CREATE INDEX old_id3 ON old (id);
