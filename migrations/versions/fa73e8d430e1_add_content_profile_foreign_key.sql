-- Message: Add foreign key from content to profiles
-- Revision ID: fa73e8d430e1
-- Revises: 3d68ea614048
-- Create Date: 2025-01-08 14:30:02
-- Transactional: true

-- migrate:upgrade
-- Deleting a profile deletes its content.
ALTER TABLE content
    ADD CONSTRAINT fk_content_profile
    FOREIGN KEY (profile_id) REFERENCES profiles (id) ON DELETE CASCADE;

-- PostgreSQL does not index the referencing side by itself, and the
-- cascade would otherwise scan content for every deleted profile.
CREATE INDEX idx_content_profile_id ON content (profile_id);

-- migrate:downgrade
DROP INDEX idx_content_profile_id;
ALTER TABLE content DROP CONSTRAINT fk_content_profile;
