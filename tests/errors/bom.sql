-- Revision ID: bom1
-- Revises: None
-- migrate:upgrade
SELECT 1;
