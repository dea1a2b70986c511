-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE t ADD COLUMN created timestamptz DEFAULT now();
ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE t ADD COLUMN seq bigserial;
ALTER TABLE t ADD COLUMN at text DEFAULT clock_timestamp()::text;
ALTER TABLE t ADD COLUMN ident int GENERATED ALWAYS AS IDENTITY;
ALTER TABLE t ADD COLUMN twice int GENERATED ALWAYS AS (id * 2) STORED;
ALTER TABLE t ADD COLUMN status text NOT NULL DEFAULT 'new';
CREATE TABLE u (id int);
ALTER TABLE u ADD COLUMN token uuid DEFAULT gen_random_uuid();
