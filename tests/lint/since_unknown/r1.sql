-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE old (id int);
CREATE INDEX old_id ON old (id);
