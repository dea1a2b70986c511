-- Revision ID: uq1
-- Revises: None
-- migrate:upgrade
SELECT 1;
SELECT 'it''s never closed;
-- migrate:downgrade
SELECT 2;
