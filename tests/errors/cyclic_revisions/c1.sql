-- Revision ID: c1
-- Revises: c3
-- migrate:upgrade
SELECT 1;
