-- Revision ID: bom1
-- Revises: None
-- migrate:upgrade
SELECT 1;
SELECT
 2;
-- migrate:downgrade
