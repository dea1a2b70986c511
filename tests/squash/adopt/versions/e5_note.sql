-- Message: order note
-- Revision ID: e5e5
-- Revises: d4d4

-- migrate:upgrade
ALTER TABLE orders ADD COLUMN note text;

-- migrate:downgrade
ALTER TABLE orders DROP COLUMN note;
