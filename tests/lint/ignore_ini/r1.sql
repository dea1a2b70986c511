-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE INDEX a_id ON a (id);
ALTER TABLE a DROP COLUMN x;
