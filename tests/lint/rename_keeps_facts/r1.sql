-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE a (v varchar(10), w text);
ALTER TABLE a ADD CONSTRAINT a_w CHECK (w IS NOT NULL) NOT VALID;
