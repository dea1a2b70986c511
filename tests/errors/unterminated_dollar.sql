-- Revision ID: ud1
-- Revises: None
-- migrate:upgrade
CREATE FUNCTION f() RETURNS int AS $body$
  SELECT $$ inner $$;
$bod$ LANGUAGE sql;
-- migrate:downgrade
DROP FUNCTION f();
