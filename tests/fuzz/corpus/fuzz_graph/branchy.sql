-- Message: alpha branch
-- Revision ID: 2000000000aa
-- Revises: 1000000000aa
-- Branch Labels: alpha

-- migrate:upgrade
ALTER TABLE things ADD COLUMN a int;

-- migrate:downgrade
ALTER TABLE things DROP COLUMN a;
%%
-- Message: base table
-- Revision ID: 1000000000aa
-- Revises: None

-- migrate:upgrade
CREATE TABLE things (id int PRIMARY KEY);

-- migrate:downgrade
DROP TABLE things;
%%
-- Message: beta branch
-- Revision ID: 3000000000bb
-- Revises: 1000000000aa
-- Branch Labels: beta

-- migrate:upgrade
ALTER TABLE things ADD COLUMN b int;

-- migrate:downgrade
ALTER TABLE things DROP COLUMN b;
%%
-- Message: merge alpha and beta
-- Revision ID: 4000000000cc
-- Revises: 2000000000aa, 3000000000bb

-- migrate:upgrade
ALTER TABLE things ADD COLUMN ab int;

-- migrate:downgrade
ALTER TABLE things DROP COLUMN ab;
%%
-- Message: independent base
-- Revision ID: 5000000000dd
-- Revises:
-- Branch Labels: other
-- Depends On: 2000000000aa

-- migrate:upgrade
CREATE TABLE others (id int PRIMARY KEY, thing int);

-- migrate:downgrade
DROP TABLE others;
%%
