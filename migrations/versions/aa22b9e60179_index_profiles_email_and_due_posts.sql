-- Message: Index profiles by email and due posts, without locking writes
-- Revision ID: aa22b9e60179
-- Revises: 15f3e49769aa
-- Create Date: 2025-02-18 08:15:29
-- Transactional: false

-- migrate:upgrade
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block, so this
-- revision is not transactional and each statement runs on its own.
CREATE INDEX CONCURRENTLY idx_profiles_email ON profiles (lower(email));
-- retort:ignore non-transactional-several the indexes are independent: if this
-- one fails, the first stays valid and useful
CREATE INDEX CONCURRENTLY idx_scheduled_posts_due
    ON scheduled_posts (scheduled_for)
    WHERE status = 'pending';

-- migrate:downgrade
DROP INDEX CONCURRENTLY idx_scheduled_posts_due;
DROP INDEX CONCURRENTLY idx_profiles_email;
