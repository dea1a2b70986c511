--
-- PostgreSQL database dump
--

\restrict EsG0aoHQQO45TBszyGlRyi4u3XfRyYipbKc9HqxYtHk7Hhqt50mrxqT1yJp88Ix

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
-- Name: p_check_constraint; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_check_constraint;


ALTER SCHEMA p_check_constraint OWNER TO postgres;

--
-- Name: p_column_identity; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_column_identity;


ALTER SCHEMA p_column_identity OWNER TO postgres;

--
-- Name: p_comments; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_comments;


ALTER SCHEMA p_comments OWNER TO postgres;

--
-- Name: p_domain_in_use; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_domain_in_use;


ALTER SCHEMA p_domain_in_use OWNER TO postgres;

--
-- Name: p_enum_remove_value; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_enum_remove_value;


ALTER SCHEMA p_enum_remove_value OWNER TO postgres;

--
-- Name: p_fk_add_drop; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_fk_add_drop;


ALTER SCHEMA p_fk_add_drop OWNER TO postgres;

--
-- Name: p_index_kinds; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_index_kinds;


ALTER SCHEMA p_index_kinds OWNER TO postgres;

--
-- Name: p_matview; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_matview;


ALTER SCHEMA p_matview OWNER TO postgres;

--
-- Name: p_partition_add; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_partition_add;


ALTER SCHEMA p_partition_add OWNER TO postgres;

--
-- Name: p_procedure_plpgsql; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_procedure_plpgsql;


ALTER SCHEMA p_procedure_plpgsql OWNER TO postgres;

--
-- Name: p_rls_policies; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_rls_policies;


ALTER SCHEMA p_rls_policies OWNER TO postgres;

--
-- Name: p_sequence_owned_by; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_sequence_owned_by;


ALTER SCHEMA p_sequence_owned_by OWNER TO postgres;

--
-- Name: p_serial_to_identity; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_serial_to_identity;


ALTER SCHEMA p_serial_to_identity OWNER TO postgres;

--
-- Name: p_trigger; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_trigger;


ALTER SCHEMA p_trigger OWNER TO postgres;

--
-- Name: p_view_on_retyped_column; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA p_view_on_retyped_column;


ALTER SCHEMA p_view_on_retyped_column OWNER TO postgres;

--
-- Name: s; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA s;


ALTER SCHEMA s OWNER TO postgres;

--
-- Name: SCHEMA s; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA s IS 'a schema';


--
-- Name: amount; Type: DOMAIN; Schema: p_domain_in_use; Owner: postgres
--

CREATE DOMAIN p_domain_in_use.amount AS numeric(12,2) NOT NULL DEFAULT 0
	CONSTRAINT amount_check CHECK ((VALUE >= (0)::numeric))
	CONSTRAINT not_huge CHECK ((VALUE < (1000000)::numeric));


ALTER DOMAIN p_domain_in_use.amount OWNER TO postgres;

--
-- Name: DOMAIN amount; Type: COMMENT; Schema: p_domain_in_use; Owner: postgres
--

COMMENT ON DOMAIN p_domain_in_use.amount IS 'money';


--
-- Name: status; Type: TYPE; Schema: p_enum_remove_value; Owner: postgres
--

CREATE TYPE p_enum_remove_value.status AS ENUM (
    'new',
    'closed',
    'open'
);


ALTER TYPE p_enum_remove_value.status OWNER TO postgres;

--
-- Name: log_it(text); Type: PROCEDURE; Schema: p_procedure_plpgsql; Owner: postgres
--

CREATE PROCEDURE p_procedure_plpgsql.log_it(IN what text)
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO audit VALUES (now(), what);
END $$;


ALTER PROCEDURE p_procedure_plpgsql.log_it(IN what text) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: audit; Type: TABLE; Schema: p_procedure_plpgsql; Owner: postgres
--

CREATE TABLE p_procedure_plpgsql.audit (
    at timestamp with time zone,
    what text
);


ALTER TABLE p_procedure_plpgsql.audit OWNER TO postgres;

--
-- Name: total(); Type: FUNCTION; Schema: p_procedure_plpgsql; Owner: postgres
--

CREATE FUNCTION p_procedure_plpgsql.total() RETURNS bigint
    LANGUAGE sql STABLE
    BEGIN ATOMIC
 SELECT count(*) AS count
    FROM p_procedure_plpgsql.audit;
END;


ALTER FUNCTION p_procedure_plpgsql.total() OWNER TO postgres;

--
-- Name: touch(); Type: FUNCTION; Schema: p_trigger; Owner: postgres
--

CREATE FUNCTION p_trigger.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$BEGIN NEW.updated := now(); RETURN NEW; END$$;


ALTER FUNCTION p_trigger.touch() OWNER TO postgres;

--
-- Name: f(); Type: FUNCTION; Schema: s; Owner: postgres
--

CREATE FUNCTION s.f() RETURNS integer
    LANGUAGE sql
    AS $$SELECT 1$$;


ALTER FUNCTION s.f() OWNER TO postgres;

--
-- Name: FUNCTION f(); Type: COMMENT; Schema: s; Owner: postgres
--

COMMENT ON FUNCTION s.f() IS 'one';


--
-- Name: t; Type: TABLE; Schema: p_check_constraint; Owner: postgres
--

CREATE TABLE p_check_constraint.t (
    a integer,
    s character varying(10),
    CONSTRAINT t_a_check CHECK ((a > 10)),
    CONSTRAINT t_s_check CHECK (((s)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[])))
);


ALTER TABLE p_check_constraint.t OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: p_column_identity; Owner: postgres
--

CREATE TABLE p_column_identity.t (
    a integer NOT NULL,
    b integer NOT NULL,
    c integer NOT NULL
);


ALTER TABLE p_column_identity.t OWNER TO postgres;

--
-- Name: t_a_seq; Type: SEQUENCE; Schema: p_column_identity; Owner: postgres
--

ALTER TABLE p_column_identity.t ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME p_column_identity.t_a_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: t_b_seq; Type: SEQUENCE; Schema: p_column_identity; Owner: postgres
--

ALTER TABLE p_column_identity.t ALTER COLUMN b ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME p_column_identity.t_b_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: pay; Type: TABLE; Schema: p_domain_in_use; Owner: postgres
--

CREATE TABLE p_domain_in_use.pay (
    a p_domain_in_use.amount,
    b p_domain_in_use.amount DEFAULT 0
);


ALTER TABLE p_domain_in_use.pay OWNER TO postgres;

--
-- Name: big; Type: VIEW; Schema: p_domain_in_use; Owner: postgres
--

CREATE VIEW p_domain_in_use.big AS
 SELECT pay.a
   FROM p_domain_in_use.pay
  WHERE ((pay.a)::numeric > (100)::numeric);


ALTER TABLE p_domain_in_use.big OWNER TO postgres;

--
-- Name: ticket; Type: TABLE; Schema: p_enum_remove_value; Owner: postgres
--

CREATE TABLE p_enum_remove_value.ticket (
    s p_enum_remove_value.status DEFAULT 'new'::p_enum_remove_value.status NOT NULL,
    hist p_enum_remove_value.status[]
);


ALTER TABLE p_enum_remove_value.ticket OWNER TO postgres;

--
-- Name: open_tickets; Type: VIEW; Schema: p_enum_remove_value; Owner: postgres
--

CREATE VIEW p_enum_remove_value.open_tickets AS
 SELECT ticket.s
   FROM p_enum_remove_value.ticket
  WHERE (ticket.s <> 'closed'::p_enum_remove_value.status);


ALTER TABLE p_enum_remove_value.open_tickets OWNER TO postgres;

--
-- Name: c; Type: TABLE; Schema: p_fk_add_drop; Owner: postgres
--

CREATE TABLE p_fk_add_drop.c (
    id integer NOT NULL,
    pid integer,
    self integer
);


ALTER TABLE p_fk_add_drop.c OWNER TO postgres;

--
-- Name: p; Type: TABLE; Schema: p_fk_add_drop; Owner: postgres
--

CREATE TABLE p_fk_add_drop.p (
    id integer NOT NULL
);


ALTER TABLE p_fk_add_drop.p OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: p_index_kinds; Owner: postgres
--

CREATE TABLE p_index_kinds.t (
    a integer,
    b text,
    c jsonb,
    d integer
);


ALTER TABLE p_index_kinds.t OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: p_matview; Owner: postgres
--

CREATE TABLE p_matview.t (
    a integer,
    b integer
);


ALTER TABLE p_matview.t OWNER TO postgres;

--
-- Name: mv; Type: MATERIALIZED VIEW; Schema: p_matview; Owner: postgres
--

CREATE MATERIALIZED VIEW p_matview.mv AS
 SELECT t.a,
    sum(t.b) AS total
   FROM p_matview.t
  GROUP BY t.a
  WITH NO DATA;


ALTER TABLE p_matview.mv OWNER TO postgres;

--
-- Name: MATERIALIZED VIEW mv; Type: COMMENT; Schema: p_matview; Owner: postgres
--

COMMENT ON MATERIALIZED VIEW p_matview.mv IS 'totals';


--
-- Name: m; Type: TABLE; Schema: p_partition_add; Owner: postgres
--

CREATE TABLE p_partition_add.m (
    id integer,
    at date NOT NULL,
    extra text
)
PARTITION BY RANGE (at);


ALTER TABLE p_partition_add.m OWNER TO postgres;

--
-- Name: m_2024; Type: TABLE; Schema: p_partition_add; Owner: postgres
--

CREATE TABLE p_partition_add.m_2024 (
    id integer,
    at date NOT NULL,
    extra text
);


ALTER TABLE p_partition_add.m_2024 OWNER TO postgres;

--
-- Name: m_2025; Type: TABLE; Schema: p_partition_add; Owner: postgres
--

CREATE TABLE p_partition_add.m_2025 (
    id integer,
    at date NOT NULL,
    extra text
);


ALTER TABLE p_partition_add.m_2025 OWNER TO postgres;

--
-- Name: m_rest; Type: TABLE; Schema: p_partition_add; Owner: postgres
--

CREATE TABLE p_partition_add.m_rest (
    id integer,
    at date NOT NULL,
    extra text
);


ALTER TABLE p_partition_add.m_rest OWNER TO postgres;

--
-- Name: doc; Type: TABLE; Schema: p_rls_policies; Owner: postgres
--

CREATE TABLE p_rls_policies.doc (
    owner text,
    body text
);

ALTER TABLE ONLY p_rls_policies.doc FORCE ROW LEVEL SECURITY;


ALTER TABLE p_rls_policies.doc OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: p_sequence_owned_by; Owner: postgres
--

CREATE TABLE p_sequence_owned_by.t (
    id integer
);


ALTER TABLE p_sequence_owned_by.t OWNER TO postgres;

--
-- Name: s; Type: SEQUENCE; Schema: p_sequence_owned_by; Owner: postgres
--

CREATE SEQUENCE p_sequence_owned_by.s
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE p_sequence_owned_by.s OWNER TO postgres;

--
-- Name: s; Type: SEQUENCE OWNED BY; Schema: p_sequence_owned_by; Owner: postgres
--

ALTER SEQUENCE p_sequence_owned_by.s OWNED BY p_sequence_owned_by.t.id;


--
-- Name: t; Type: TABLE; Schema: p_serial_to_identity; Owner: postgres
--

CREATE TABLE p_serial_to_identity.t (
    id integer NOT NULL,
    v text
);


ALTER TABLE p_serial_to_identity.t OWNER TO postgres;

--
-- Name: t_id_seq; Type: SEQUENCE; Schema: p_serial_to_identity; Owner: postgres
--

ALTER TABLE p_serial_to_identity.t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME p_serial_to_identity.t_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: t; Type: TABLE; Schema: p_trigger; Owner: postgres
--

CREATE TABLE p_trigger.t (
    a integer,
    updated timestamp with time zone
);


ALTER TABLE p_trigger.t OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: p_view_on_retyped_column; Owner: postgres
--

CREATE TABLE p_view_on_retyped_column.t (
    a bigint,
    b text
);


ALTER TABLE p_view_on_retyped_column.t OWNER TO postgres;

--
-- Name: v; Type: VIEW; Schema: p_view_on_retyped_column; Owner: postgres
--

CREATE VIEW p_view_on_retyped_column.v AS
 SELECT t.a,
    t.b
   FROM p_view_on_retyped_column.t;


ALTER TABLE p_view_on_retyped_column.v OWNER TO postgres;

--
-- Name: w; Type: VIEW; Schema: p_view_on_retyped_column; Owner: postgres
--

CREATE VIEW p_view_on_retyped_column.w AS
 SELECT v.a
   FROM p_view_on_retyped_column.v;


ALTER TABLE p_view_on_retyped_column.w OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: s; Owner: postgres
--

CREATE TABLE s.t (
    a integer NOT NULL,
    b integer
);


ALTER TABLE s.t OWNER TO postgres;

--
-- Name: TABLE t; Type: COMMENT; Schema: s; Owner: postgres
--

COMMENT ON TABLE s.t IS 'it''s new';


--
-- Name: COLUMN t.a; Type: COMMENT; Schema: s; Owner: postgres
--

COMMENT ON COLUMN s.t.a IS 'key';


--
-- Name: m_2024; Type: TABLE ATTACH; Schema: p_partition_add; Owner: postgres
--

ALTER TABLE ONLY p_partition_add.m ATTACH PARTITION p_partition_add.m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: m_2025; Type: TABLE ATTACH; Schema: p_partition_add; Owner: postgres
--

ALTER TABLE ONLY p_partition_add.m ATTACH PARTITION p_partition_add.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');


--
-- Name: m_rest; Type: TABLE ATTACH; Schema: p_partition_add; Owner: postgres
--

ALTER TABLE ONLY p_partition_add.m ATTACH PARTITION p_partition_add.m_rest DEFAULT;


--
-- Name: t id; Type: DEFAULT; Schema: p_sequence_owned_by; Owner: postgres
--

ALTER TABLE ONLY p_sequence_owned_by.t ALTER COLUMN id SET DEFAULT nextval('p_sequence_owned_by.s'::regclass);


--
-- Name: c c_pkey; Type: CONSTRAINT; Schema: p_fk_add_drop; Owner: postgres
--

ALTER TABLE ONLY p_fk_add_drop.c
    ADD CONSTRAINT c_pkey PRIMARY KEY (id);


--
-- Name: p p_pkey; Type: CONSTRAINT; Schema: p_fk_add_drop; Owner: postgres
--

ALTER TABLE ONLY p_fk_add_drop.p
    ADD CONSTRAINT p_pkey PRIMARY KEY (id);


--
-- Name: t t_pkey; Type: CONSTRAINT; Schema: p_serial_to_identity; Owner: postgres
--

ALTER TABLE ONLY p_serial_to_identity.t
    ADD CONSTRAINT t_pkey PRIMARY KEY (id);


--
-- Name: t t_pkey; Type: CONSTRAINT; Schema: s; Owner: postgres
--

ALTER TABLE ONLY s.t
    ADD CONSTRAINT t_pkey PRIMARY KEY (a);


--
-- Name: CONSTRAINT t_pkey ON t; Type: COMMENT; Schema: s; Owner: postgres
--

COMMENT ON CONSTRAINT t_pkey ON s.t IS 'pk';


--
-- Name: t_a; Type: INDEX; Schema: p_index_kinds; Owner: postgres
--

CREATE UNIQUE INDEX t_a ON p_index_kinds.t USING btree (a) INCLUDE (d);


--
-- Name: t_b_partial; Type: INDEX; Schema: p_index_kinds; Owner: postgres
--

CREATE INDEX t_b_partial ON p_index_kinds.t USING btree (b) WHERE (d > 0);


--
-- Name: t_c; Type: INDEX; Schema: p_index_kinds; Owner: postgres
--

CREATE INDEX t_c ON p_index_kinds.t USING gin (c jsonb_path_ops);


--
-- Name: t_desc; Type: INDEX; Schema: p_index_kinds; Owner: postgres
--

CREATE INDEX t_desc ON p_index_kinds.t USING btree (a DESC NULLS LAST, b COLLATE "C");


--
-- Name: t_hash; Type: INDEX; Schema: p_index_kinds; Owner: postgres
--

CREATE INDEX t_hash ON p_index_kinds.t USING hash (b);


--
-- Name: t_lower; Type: INDEX; Schema: p_index_kinds; Owner: postgres
--

CREATE INDEX t_lower ON p_index_kinds.t USING btree (lower(b) text_pattern_ops);


--
-- Name: mv_a; Type: INDEX; Schema: p_matview; Owner: postgres
--

CREATE UNIQUE INDEX mv_a ON p_matview.mv USING btree (a);


--
-- Name: m_at; Type: INDEX; Schema: p_partition_add; Owner: postgres
--

CREATE INDEX m_at ON ONLY p_partition_add.m USING btree (at);


--
-- Name: m_2024_at_idx; Type: INDEX; Schema: p_partition_add; Owner: postgres
--

CREATE INDEX m_2024_at_idx ON p_partition_add.m_2024 USING btree (at);


--
-- Name: m_2025_at_idx; Type: INDEX; Schema: p_partition_add; Owner: postgres
--

CREATE INDEX m_2025_at_idx ON p_partition_add.m_2025 USING btree (at);


--
-- Name: m_rest_at_idx; Type: INDEX; Schema: p_partition_add; Owner: postgres
--

CREATE INDEX m_rest_at_idx ON p_partition_add.m_rest USING btree (at);


--
-- Name: t_b; Type: INDEX; Schema: s; Owner: postgres
--

CREATE INDEX t_b ON s.t USING btree (b);


--
-- Name: INDEX t_b; Type: COMMENT; Schema: s; Owner: postgres
--

COMMENT ON INDEX s.t_b IS 'by b';


--
-- Name: m_2024_at_idx; Type: INDEX ATTACH; Schema: p_partition_add; Owner: postgres
--

ALTER INDEX p_partition_add.m_at ATTACH PARTITION p_partition_add.m_2024_at_idx;


--
-- Name: m_2025_at_idx; Type: INDEX ATTACH; Schema: p_partition_add; Owner: postgres
--

ALTER INDEX p_partition_add.m_at ATTACH PARTITION p_partition_add.m_2025_at_idx;


--
-- Name: m_rest_at_idx; Type: INDEX ATTACH; Schema: p_partition_add; Owner: postgres
--

ALTER INDEX p_partition_add.m_at ATTACH PARTITION p_partition_add.m_rest_at_idx;


--
-- Name: t t_new; Type: TRIGGER; Schema: p_trigger; Owner: postgres
--

CREATE TRIGGER t_new BEFORE DELETE ON p_trigger.t FOR EACH ROW EXECUTE FUNCTION p_trigger.touch();


--
-- Name: t t_touch; Type: TRIGGER; Schema: p_trigger; Owner: postgres
--

CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF a ON p_trigger.t FOR EACH ROW WHEN ((new.a IS NOT NULL)) EXECUTE FUNCTION p_trigger.touch();


--
-- Name: c c_pid_fkey; Type: FK CONSTRAINT; Schema: p_fk_add_drop; Owner: postgres
--

ALTER TABLE ONLY p_fk_add_drop.c
    ADD CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p_fk_add_drop.p(id) ON DELETE CASCADE;


--
-- Name: c c_self_fkey; Type: FK CONSTRAINT; Schema: p_fk_add_drop; Owner: postgres
--

ALTER TABLE ONLY p_fk_add_drop.c
    ADD CONSTRAINT c_self_fkey FOREIGN KEY (self) REFERENCES p_fk_add_drop.c(id);


--
-- Name: doc; Type: ROW SECURITY; Schema: p_rls_policies; Owner: postgres
--

ALTER TABLE p_rls_policies.doc ENABLE ROW LEVEL SECURITY;

--
-- Name: doc ins; Type: POLICY; Schema: p_rls_policies; Owner: postgres
--

CREATE POLICY ins ON p_rls_policies.doc AS RESTRICTIVE FOR INSERT WITH CHECK ((owner = CURRENT_USER));


--
-- Name: doc mine; Type: POLICY; Schema: p_rls_policies; Owner: postgres
--

CREATE POLICY mine ON p_rls_policies.doc FOR SELECT USING (((owner = CURRENT_USER) OR (owner IS NULL)));


--
-- PostgreSQL database dump complete
--

\unrestrict EsG0aoHQQO45TBszyGlRyi4u3XfRyYipbKc9HqxYtHk7Hhqt50mrxqT1yJp88Ix

