-- Revision ID: t1
-- Revises: None
-- migrate:upgrade
BEGIN;
CREATE TABLE t (id int);
COMMIT;
SAVEPOINT s;
RELEASE SAVEPOINT s;
