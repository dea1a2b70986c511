-- retort diff --from empty --to migrations

CREATE TYPE public.platform AS ENUM ('x', 'mastodon', 'bluesky', 'linkedin', 'instagram');
CREATE TABLE public.content (
    id bigint GENERATED ALWAYS AS IDENTITY,
    profile_id bigint NOT NULL,
    title character varying(200),
    caption text NOT NULL,
    media_urls text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.content_metrics (
    content_id bigint NOT NULL,
    platform character varying(32) NOT NULL,
    collected_at timestamp with time zone DEFAULT now() NOT NULL,
    impressions bigint DEFAULT 0 NOT NULL,
    likes bigint DEFAULT 0 NOT NULL,
    reposts bigint DEFAULT 0 NOT NULL,
    replies bigint DEFAULT 0 NOT NULL
);
CREATE TABLE public.platform_accounts (
    id bigint GENERATED ALWAYS AS IDENTITY,
    profile_id bigint NOT NULL,
    platform public.platform NOT NULL,
    handle character varying(100) NOT NULL,
    token_ref text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.post_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY,
    scheduled_post_id bigint NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    succeeded boolean NOT NULL,
    remote_id text,
    error text,
    response jsonb
);
CREATE TABLE public.profiles (
    id bigint GENERATED ALWAYS AS IDENTITY,
    email character varying(320) NOT NULL,
    display_name character varying(100) NOT NULL,
    bio text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    timezone character varying(64) DEFAULT 'UTC'::character varying NOT NULL
);
CREATE TABLE public.scheduled_posts (
    id bigint GENERATED ALWAYS AS IDENTITY,
    content_id bigint NOT NULL,
    account_id bigint NOT NULL,
    scheduled_for timestamp with time zone NOT NULL,
    status character varying(16) DEFAULT 'pending'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE public.content ADD CONSTRAINT content_pkey PRIMARY KEY (id);
ALTER TABLE public.content_metrics ADD CONSTRAINT content_metrics_content_id_fkey FOREIGN KEY (content_id) REFERENCES public.content(id) ON DELETE CASCADE;
ALTER TABLE public.content_metrics ADD CONSTRAINT content_metrics_impressions_check CHECK ((impressions >= 0));
ALTER TABLE public.content_metrics ADD CONSTRAINT content_metrics_likes_check CHECK ((likes >= 0));
ALTER TABLE public.content_metrics ADD CONSTRAINT content_metrics_pkey PRIMARY KEY (content_id, platform, collected_at);
ALTER TABLE public.content_metrics ADD CONSTRAINT content_metrics_replies_check CHECK ((replies >= 0));
ALTER TABLE public.content_metrics ADD CONSTRAINT content_metrics_reposts_check CHECK ((reposts >= 0));
ALTER TABLE public.platform_accounts ADD CONSTRAINT platform_accounts_handle_key UNIQUE (platform, handle);
ALTER TABLE public.platform_accounts ADD CONSTRAINT platform_accounts_pkey PRIMARY KEY (id);
ALTER TABLE public.post_attempts ADD CONSTRAINT post_attempts_check CHECK ((succeeded = (remote_id IS NOT NULL)));
ALTER TABLE public.post_attempts ADD CONSTRAINT post_attempts_pkey PRIMARY KEY (id);
ALTER TABLE public.profiles ADD CONSTRAINT profiles_email_key UNIQUE (email);
ALTER TABLE public.profiles ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);
ALTER TABLE public.content ADD CONSTRAINT fk_content_profile FOREIGN KEY (profile_id) REFERENCES public.profiles(id) ON DELETE CASCADE;
ALTER TABLE public.platform_accounts ADD CONSTRAINT platform_accounts_profile_id_fkey FOREIGN KEY (profile_id) REFERENCES public.profiles(id) ON DELETE CASCADE;
ALTER TABLE public.scheduled_posts ADD CONSTRAINT scheduled_posts_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.platform_accounts(id) ON DELETE CASCADE;
ALTER TABLE public.scheduled_posts ADD CONSTRAINT scheduled_posts_content_id_fkey FOREIGN KEY (content_id) REFERENCES public.content(id) ON DELETE CASCADE;
ALTER TABLE public.scheduled_posts ADD CONSTRAINT scheduled_posts_pkey PRIMARY KEY (id);
ALTER TABLE public.post_attempts ADD CONSTRAINT post_attempts_scheduled_post_id_fkey FOREIGN KEY (scheduled_post_id) REFERENCES public.scheduled_posts(id) ON DELETE CASCADE;
ALTER TABLE public.scheduled_posts ADD CONSTRAINT scheduled_posts_status_check CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'posting'::character varying, 'posted'::character varying, 'failed'::character varying, 'cancelled'::character varying])::text[])));
CREATE INDEX idx_content_profile_id ON public.content USING btree (profile_id);
CREATE INDEX idx_post_attempts_scheduled_post ON public.post_attempts USING btree (scheduled_post_id, attempted_at);
CREATE INDEX idx_profiles_email ON public.profiles USING btree (lower((email)::text));
CREATE INDEX idx_scheduled_posts_due ON public.scheduled_posts USING btree (scheduled_for) WHERE ((status)::text = 'pending'::text);
CREATE OR REPLACE FUNCTION public.record_post_attempt()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
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
$function$;
CREATE OR REPLACE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- Skip no-op updates; 'now()' is the transaction's start time.
    IF ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$function$;
CREATE VIEW public.content_engagement AS
 SELECT DISTINCT ON (content_metrics.content_id, content_metrics.platform) content_metrics.content_id,
    content_metrics.platform,
    content_metrics.collected_at,
    content_metrics.impressions,
    ((content_metrics.likes + content_metrics.reposts) + content_metrics.replies) AS engagements,
        CASE
            WHEN (content_metrics.impressions = 0) THEN NULL::numeric
            ELSE round(((((content_metrics.likes + content_metrics.reposts) + content_metrics.replies))::numeric / (content_metrics.impressions)::numeric), 4)
        END AS engagement_rate
   FROM public.content_metrics
  ORDER BY content_metrics.content_id, content_metrics.platform, content_metrics.collected_at DESC;
CREATE TRIGGER content_set_updated_at BEFORE UPDATE ON public.content FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER post_attempts_record AFTER INSERT ON public.post_attempts FOR EACH ROW EXECUTE FUNCTION public.record_post_attempt();
CREATE TRIGGER profiles_set_updated_at BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER scheduled_posts_set_updated_at BEFORE UPDATE ON public.scheduled_posts FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
COMMENT ON COLUMN public.content.caption IS 'Text posted with the media; platforms may truncate it';
