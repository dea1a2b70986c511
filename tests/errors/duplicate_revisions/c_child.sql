-- Revision ID: d2
-- Revises: d1
-- migrate:upgrade
SELECT 3;
