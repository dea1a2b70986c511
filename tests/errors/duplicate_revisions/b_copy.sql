-- Revision ID: d1
-- Revises: None
-- migrate:upgrade
SELECT 2;
