-- Revision ID: uc1
-- Revises: None
-- migrate:upgrade
SELECT 1; /* outer /* inner */ still open
-- migrate:downgrade
SELECT 2;
