-- Message: Rename content.body to caption
-- Revision ID: 0f49c244f95e
-- Revises: 0dce46aac0f0
-- Create Date: 2025-01-20 16:45:10
-- Transactional: true

-- migrate:upgrade
ALTER TABLE content RENAME COLUMN body TO caption;
COMMENT ON COLUMN content.caption IS 'Text posted with the media; platforms may truncate it';

-- migrate:downgrade
COMMENT ON COLUMN content.caption IS NULL;
ALTER TABLE content RENAME COLUMN caption TO body;
