-- Revision ID: r4
-- Revises: r3
-- migrate:upgrade
ALTER TABLE t ADD COLUMN c int;
