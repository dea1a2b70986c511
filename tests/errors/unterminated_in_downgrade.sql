-- Revision ID: um1
-- Revises: None
-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 'open in the downgrade