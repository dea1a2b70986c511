-- Revision ID: c3
-- Revises: c2
-- migrate:upgrade
SELECT 1;
