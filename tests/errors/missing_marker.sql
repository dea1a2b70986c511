-- Revision ID: nm1
-- Revises: None
SELECT 1;
