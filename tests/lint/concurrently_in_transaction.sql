-- Revision ID: c1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
CREATE INDEX CONCURRENTLY t_id ON t (id);
-- migrate:downgrade
DROP INDEX CONCURRENTLY t_id;
DROP TABLE t;
