-- Revision ID: r3
-- Revises: r2
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- renamed by an earlier revision: the facts follow the new name
DROP TABLE IF EXISTS bee, legacy;
