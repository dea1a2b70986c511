-- Revision ID: s1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
ALTER TABLE t ADD COLUMN twice int GENERATED ALWAYS AS (id * 2) VIRTUAL;
