-- Revision ID: x1
-- Revises: None
-- migrate:upgrade
CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;
DO $body$ BEGIN PERFORM $x$ $$ $x$; END $body$;
SELECT E'a\'b' 'c''d'
  'e', U&"a\0041", /* x /* y */ z */ 1;
-- migrate:downgrade
