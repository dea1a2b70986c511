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
%%
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
%%
-- Message: Merge scheduling and analytics; record post attempts
-- Revision ID: 15f3e49769aa
-- Revises: 4de04e8f1553, b7c6abe58f53
-- Create Date: 2025-02-10 13:37:00
-- Transactional: true

-- migrate:upgrade
-- Every try at publishing a scheduled post, successful or not. This needs
-- both branches, as it points at scheduled_posts and feeds content_metrics.
CREATE TABLE post_attempts (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scheduled_post_id bigint NOT NULL REFERENCES scheduled_posts (id) ON DELETE CASCADE,
    attempted_at      timestamptz NOT NULL DEFAULT now(),
    succeeded         boolean NOT NULL,
    remote_id         text,
    error             text,
    response          jsonb,
    CHECK (succeeded = (remote_id IS NOT NULL))
);

CREATE INDEX idx_post_attempts_scheduled_post ON post_attempts (scheduled_post_id, attempted_at);

-- Another dollar tag, whose body holds "$$", quotes, semicolons and a
-- line that looks like a section marker: all of it stays in the function.
CREATE FUNCTION record_post_attempt() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
    post scheduled_posts%ROWTYPE;
BEGIN
-- migrate:downgrade (not a marker: this line is inside the function body)
    SELECT * INTO post FROM scheduled_posts WHERE id = NEW.scheduled_post_id FOR UPDATE;
    IF NEW.succeeded THEN
        UPDATE scheduled_posts SET status = 'posted' WHERE id = post.id;
        INSERT INTO content_metrics (content_id, platform, collected_at)
        SELECT post.content_id, a.platform::text, NEW.attempted_at
          FROM platform_accounts a
         WHERE a.id = post.account_id
        ON CONFLICT DO NOTHING;
    ELSIF (SELECT count(*) FROM post_attempts WHERE scheduled_post_id = post.id) >= 3 THEN
        UPDATE scheduled_posts SET status = 'failed' WHERE id = post.id;
    ELSE
        RAISE NOTICE 'attempt for post % failed: %; will retry', post.id,
            coalesce(NEW.error, 'no error text; see $$response$$');
    END IF;
    RETURN NEW;
END;
$body$;

CREATE TRIGGER post_attempts_record
    AFTER INSERT ON post_attempts
    FOR EACH ROW EXECUTE FUNCTION record_post_attempt();

-- migrate:downgrade
DROP TRIGGER post_attempts_record ON post_attempts;
DROP FUNCTION record_post_attempt();
DROP TABLE post_attempts;
%%
-- Message: Initial schema: profiles and content
-- Revision ID: 3d68ea614048
-- Revises:
-- Create Date: 2025-01-06 09:12:44
-- Transactional: true

-- migrate:upgrade
CREATE TABLE profiles (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        varchar(320) NOT NULL,
    display_name varchar(100) NOT NULL,
    bio          text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT profiles_email_key UNIQUE (email)
);

-- The bot drafts posts as rows here; profile_id gets its foreign key in
-- the next revision.
CREATE TABLE content (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id  bigint NOT NULL,
    title       varchar(200),
    body        text NOT NULL,
    media_urls  text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One trigger function keeps every updated_at honest. Its body holds
-- semicolons and quotes, which must stay inside the dollar quotes.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Skip no-op updates; 'now()' is the transaction's start time.
    IF ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER profiles_set_updated_at
    BEFORE UPDATE ON profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER content_set_updated_at
    BEFORE UPDATE ON content
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- migrate:downgrade
DROP TRIGGER content_set_updated_at ON content;
DROP TRIGGER profiles_set_updated_at ON profiles;
DROP FUNCTION set_updated_at();
DROP TABLE content;
DROP TABLE profiles;
%%
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
%%
-- Message: Index profiles by email and due posts, without locking writes
-- Revision ID: aa22b9e60179
-- Revises: 15f3e49769aa
-- Create Date: 2025-02-18 08:15:29
-- Transactional: false

-- migrate:upgrade
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block, so this
-- revision is not transactional and each statement runs on its own.
CREATE INDEX CONCURRENTLY idx_profiles_email ON profiles (lower(email));
CREATE INDEX CONCURRENTLY idx_scheduled_posts_due
    ON scheduled_posts (scheduled_for)
    WHERE status = 'pending';

-- migrate:downgrade
DROP INDEX CONCURRENTLY idx_scheduled_posts_due;
DROP INDEX CONCURRENTLY idx_profiles_email;
%%
-- Message: Add content metrics
-- Revision ID: b7c6abe58f53
-- Revises: 0f49c244f95e
-- Create Date: 2025-02-04 09:02:15
-- Branch Labels: analytics
-- Transactional: true

-- migrate:upgrade
-- Counters as the platforms report them, one row per collection run.
CREATE TABLE content_metrics (
    content_id    bigint NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    platform      varchar(32) NOT NULL,
    collected_at  timestamptz NOT NULL DEFAULT now(),
    impressions   bigint NOT NULL DEFAULT 0 CHECK (impressions >= 0),
    likes         bigint NOT NULL DEFAULT 0 CHECK (likes >= 0),
    reposts       bigint NOT NULL DEFAULT 0 CHECK (reposts >= 0),
    replies       bigint NOT NULL DEFAULT 0 CHECK (replies >= 0),
    PRIMARY KEY (content_id, platform, collected_at)
);

CREATE VIEW content_engagement AS
SELECT DISTINCT ON (content_id, platform)
       content_id,
       platform,
       collected_at,
       impressions,
       likes + reposts + replies AS engagements,
       CASE WHEN impressions = 0 THEN NULL
            ELSE round((likes + reposts + replies)::numeric / impressions, 4)
       END AS engagement_rate
  FROM content_metrics
 ORDER BY content_id, platform, collected_at DESC;

-- migrate:downgrade
DROP VIEW content_engagement;
DROP TABLE content_metrics;
%%
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
%%
