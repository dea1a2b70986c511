-- Revision ID: r3
-- Revises: r2
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_name_nn;
