-- Revision ID: r4
-- Revises: r3
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- validated two revisions ago: PostgreSQL skips the scan
ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;
-- the check is NOT VALID: the scan still happens
ALTER TABLE accounts ADD CONSTRAINT accounts_nick_nn CHECK (nick IS NOT NULL) NOT VALID;
ALTER TABLE accounts ALTER COLUMN nick SET NOT NULL;
