-- Revision ID: mix1
-- Revises: None
-- migrate:upgrade
SELECT 1;
SELECT
  2;
