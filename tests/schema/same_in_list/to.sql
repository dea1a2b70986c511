CREATE TABLE t (s varchar(10), CONSTRAINT t_s_check CHECK (((s)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))));
