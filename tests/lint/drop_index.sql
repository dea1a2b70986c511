-- Revision ID: d1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
CREATE INDEX t_id ON t (id);
DROP INDEX t_id;
DROP INDEX legacy_id;
DROP INDEX CONCURRENTLY IF EXISTS other_id;
