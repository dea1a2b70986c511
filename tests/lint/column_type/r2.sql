-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE t ALTER COLUMN code TYPE varchar(50);
ALTER TABLE t ALTER COLUMN name TYPE text;
ALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);
ALTER TABLE t ALTER COLUMN id TYPE bigint;
ALTER TABLE t ALTER COLUMN code TYPE varchar(10);
ALTER TABLE t ALTER COLUMN note TYPE varchar(100);
ALTER TABLE t ALTER COLUMN n TYPE int USING n + 1;
ALTER TABLE legacy ALTER COLUMN x TYPE text;
