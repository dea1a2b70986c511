-- Revision ID: s1
-- Revises: None
-- migrate:upgrade
SET search_path = app, public;
SET LOCAL statement_timeout = '5s';
SET statement_timeout = '10s';
SET ROLE migrator;
SELECT set_config('app.tenant', 'x', false);
SELECT set_config('app.user', 'y', true);
SET work_mem = '64MB';
RESET work_mem;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
RESET ROLE;
