-- Message: Add platform accounts and scheduled posts
-- Revision ID: 4de04e8f1553
-- Revises: 0f49c244f95e
-- Create Date: 2025-02-03 11:20:37
-- Branch Labels: scheduling
-- Transactional: true

-- migrate:upgrade
CREATE TYPE platform AS ENUM ('x', 'mastodon', 'bluesky', 'linkedin', 'instagram');

CREATE TABLE platform_accounts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id   bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    platform     platform NOT NULL,
    handle       varchar(100) NOT NULL,
    -- A reference into the secret store, never the token itself.
    token_ref    text NOT NULL,
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT platform_accounts_handle_key UNIQUE (platform, handle)
);

CREATE TABLE scheduled_posts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    content_id    bigint NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    account_id    bigint NOT NULL REFERENCES platform_accounts (id) ON DELETE CASCADE,
    scheduled_for timestamptz NOT NULL,
    status        varchar(16) NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'posting', 'posted', 'failed', 'cancelled')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER scheduled_posts_set_updated_at
    BEFORE UPDATE ON scheduled_posts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- migrate:downgrade
DROP TRIGGER scheduled_posts_set_updated_at ON scheduled_posts;
DROP TABLE scheduled_posts;
DROP TABLE platform_accounts;
DROP TYPE platform;
