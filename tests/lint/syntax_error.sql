-- Revision ID: s1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
INSERT INTO t VALUES (1);
ALTER TABLE t ADD COLUMN note text NOT NUL;
