-- Message: Add timezone to profiles
-- Revision ID: 0dce46aac0f0
-- Revises: fa73e8d430e1
-- Create Date: 2025-01-15 10:04:51
-- Transactional: true

-- migrate:upgrade
-- Nullable first, backfill, then tighten: existing rows get 'UTC'.
ALTER TABLE profiles ADD COLUMN timezone varchar(64);
UPDATE profiles SET timezone = 'UTC' WHERE timezone IS NULL;
ALTER TABLE profiles
    ALTER COLUMN timezone SET DEFAULT 'UTC',
    ALTER COLUMN timezone SET NOT NULL;

-- migrate:downgrade
ALTER TABLE profiles DROP COLUMN timezone;
