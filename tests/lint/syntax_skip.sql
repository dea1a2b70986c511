-- Revision ID: s1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
-- retort:ignore syntax-error VIRTUAL generated columns are PostgreSQL 18 syntax
ALTER TABLE t ADD COLUMN twice int GENERATED ALWAYS AS (id * 2) VIRTUAL;
