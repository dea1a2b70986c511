-- Revision ID: c2
-- Revises: c1
-- migrate:upgrade
SELECT 1;
