-- Revision ID: c1
-- Revises: None
-- migrate:upgrade
VACUUM ANALYZE pg_class;
CREATE DATABASE other;
ALTER SYSTEM SET work_mem = '64MB';
REINDEX TABLE CONCURRENTLY pg_class;
ANALYZE pg_class;
