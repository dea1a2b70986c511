--
-- PostgreSQL database dump
--

\restrict QIGfoy4h4Rdkfz7uk2TIdHDEDQbTLO59v9g6PGFcT5aLAhwcCA3gRWwzEeNRtro

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: platform; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.platform AS ENUM (
    'x',
    'mastodon',
    'bluesky',
    'linkedin',
    'instagram'
);


ALTER TYPE public.platform OWNER TO postgres;

--
-- Name: record_post_attempt(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.record_post_attempt() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
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
$_$;


ALTER FUNCTION public.record_post_attempt() OWNER TO postgres;

--
-- Name: set_updated_at(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Skip no-op updates; 'now()' is the transaction's start time.
    IF ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;


ALTER FUNCTION public.set_updated_at() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: content; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.content (
    id bigint NOT NULL,
    profile_id bigint NOT NULL,
    title character varying(200),
    caption text NOT NULL,
    media_urls text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.content OWNER TO postgres;

--
-- Name: COLUMN content.caption; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.content.caption IS 'Text posted with the media; platforms may truncate it';


--
-- Name: content_metrics; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.content_metrics (
    content_id bigint NOT NULL,
    platform character varying(32) NOT NULL,
    collected_at timestamp with time zone DEFAULT now() NOT NULL,
    impressions bigint DEFAULT 0 NOT NULL,
    likes bigint DEFAULT 0 NOT NULL,
    reposts bigint DEFAULT 0 NOT NULL,
    replies bigint DEFAULT 0 NOT NULL,
    CONSTRAINT content_metrics_impressions_check CHECK ((impressions >= 0)),
    CONSTRAINT content_metrics_likes_check CHECK ((likes >= 0)),
    CONSTRAINT content_metrics_replies_check CHECK ((replies >= 0)),
    CONSTRAINT content_metrics_reposts_check CHECK ((reposts >= 0))
);


ALTER TABLE public.content_metrics OWNER TO postgres;

--
-- Name: content_engagement; Type: VIEW; Schema: public; Owner: postgres
--

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


ALTER TABLE public.content_engagement OWNER TO postgres;

--
-- Name: content_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.content ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.content_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: platform_accounts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.platform_accounts (
    id bigint NOT NULL,
    profile_id bigint NOT NULL,
    platform public.platform NOT NULL,
    handle character varying(100) NOT NULL,
    token_ref text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.platform_accounts OWNER TO postgres;

--
-- Name: platform_accounts_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.platform_accounts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.platform_accounts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: post_attempts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.post_attempts (
    id bigint NOT NULL,
    scheduled_post_id bigint NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    succeeded boolean NOT NULL,
    remote_id text,
    error text,
    response jsonb,
    CONSTRAINT post_attempts_check CHECK ((succeeded = (remote_id IS NOT NULL)))
);


ALTER TABLE public.post_attempts OWNER TO postgres;

--
-- Name: post_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.post_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.post_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: profiles; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.profiles (
    id bigint NOT NULL,
    email character varying(320) NOT NULL,
    display_name character varying(100) NOT NULL,
    bio text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    timezone character varying(64) DEFAULT 'UTC'::character varying NOT NULL
);


ALTER TABLE public.profiles OWNER TO postgres;

--
-- Name: profiles_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.profiles ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.profiles_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduled_posts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scheduled_posts (
    id bigint NOT NULL,
    content_id bigint NOT NULL,
    account_id bigint NOT NULL,
    scheduled_for timestamp with time zone NOT NULL,
    status character varying(16) DEFAULT 'pending'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT scheduled_posts_status_check CHECK (((status)::text = ANY (ARRAY[('pending'::character varying)::text, ('posting'::character varying)::text, ('posted'::character varying)::text, ('failed'::character varying)::text, ('cancelled'::character varying)::text])))
);


ALTER TABLE public.scheduled_posts OWNER TO postgres;

--
-- Name: scheduled_posts_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.scheduled_posts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.scheduled_posts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: content_metrics content_metrics_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.content_metrics
    ADD CONSTRAINT content_metrics_pkey PRIMARY KEY (content_id, platform, collected_at);


--
-- Name: content content_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.content
    ADD CONSTRAINT content_pkey PRIMARY KEY (id);


--
-- Name: platform_accounts platform_accounts_handle_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.platform_accounts
    ADD CONSTRAINT platform_accounts_handle_key UNIQUE (platform, handle);


--
-- Name: platform_accounts platform_accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.platform_accounts
    ADD CONSTRAINT platform_accounts_pkey PRIMARY KEY (id);


--
-- Name: post_attempts post_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.post_attempts
    ADD CONSTRAINT post_attempts_pkey PRIMARY KEY (id);


--
-- Name: profiles profiles_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_email_key UNIQUE (email);


--
-- Name: profiles profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);


--
-- Name: scheduled_posts scheduled_posts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scheduled_posts
    ADD CONSTRAINT scheduled_posts_pkey PRIMARY KEY (id);


--
-- Name: idx_content_profile_id; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX idx_content_profile_id ON public.content USING btree (profile_id);


--
-- Name: idx_post_attempts_scheduled_post; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX idx_post_attempts_scheduled_post ON public.post_attempts USING btree (scheduled_post_id, attempted_at);


--
-- Name: idx_profiles_email; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX idx_profiles_email ON public.profiles USING btree (lower((email)::text));


--
-- Name: idx_scheduled_posts_due; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX idx_scheduled_posts_due ON public.scheduled_posts USING btree (scheduled_for) WHERE ((status)::text = 'pending'::text);


--
-- Name: content content_set_updated_at; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER content_set_updated_at BEFORE UPDATE ON public.content FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: post_attempts post_attempts_record; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER post_attempts_record AFTER INSERT ON public.post_attempts FOR EACH ROW EXECUTE FUNCTION public.record_post_attempt();


--
-- Name: profiles profiles_set_updated_at; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER profiles_set_updated_at BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: scheduled_posts scheduled_posts_set_updated_at; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER scheduled_posts_set_updated_at BEFORE UPDATE ON public.scheduled_posts FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: content_metrics content_metrics_content_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.content_metrics
    ADD CONSTRAINT content_metrics_content_id_fkey FOREIGN KEY (content_id) REFERENCES public.content(id) ON DELETE CASCADE;


--
-- Name: content fk_content_profile; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.content
    ADD CONSTRAINT fk_content_profile FOREIGN KEY (profile_id) REFERENCES public.profiles(id) ON DELETE CASCADE;


--
-- Name: platform_accounts platform_accounts_profile_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.platform_accounts
    ADD CONSTRAINT platform_accounts_profile_id_fkey FOREIGN KEY (profile_id) REFERENCES public.profiles(id) ON DELETE CASCADE;


--
-- Name: post_attempts post_attempts_scheduled_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.post_attempts
    ADD CONSTRAINT post_attempts_scheduled_post_id_fkey FOREIGN KEY (scheduled_post_id) REFERENCES public.scheduled_posts(id) ON DELETE CASCADE;


--
-- Name: scheduled_posts scheduled_posts_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scheduled_posts
    ADD CONSTRAINT scheduled_posts_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.platform_accounts(id) ON DELETE CASCADE;


--
-- Name: scheduled_posts scheduled_posts_content_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scheduled_posts
    ADD CONSTRAINT scheduled_posts_content_id_fkey FOREIGN KEY (content_id) REFERENCES public.content(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict QIGfoy4h4Rdkfz7uk2TIdHDEDQbTLO59v9g6PGFcT5aLAhwcCA3gRWwzEeNRtro

