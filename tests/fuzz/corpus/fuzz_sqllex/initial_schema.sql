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
