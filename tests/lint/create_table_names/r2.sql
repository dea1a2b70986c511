-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- created by r1: existing
CREATE INDEX m_id ON "Mixed" (id);
-- not the same table as "Mixed"
CREATE INDEX m_id2 ON mixed (id);
CREATE INDEX ON app.things (code);
-- the type from r1 CREATE TABLE, read when first needed
ALTER TABLE app.things ALTER COLUMN code TYPE varchar(20);
ALTER TABLE plain ALTER COLUMN id TYPE bigint;
ALTER TABLE plain RENAME TO flat;
ALTER TABLE flat ALTER COLUMN id TYPE int;
CREATE TABLE "Quoted""Name" (id int);
CREATE INDEX q ON "Quoted""Name" (id);
CREATE TABLE IF NOT EXISTS "Mixed" (id int);
CREATE INDEX m_id3 ON "Mixed" (id);
