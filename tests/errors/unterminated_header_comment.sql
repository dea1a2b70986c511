-- Revision ID: uh1
-- Revises: None
/* a comment in the header that never ends
-- migrate:upgrade
SELECT 1;
