CREATE TABLE t (id int);
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE SCHEMA retort;
CREATE TABLE retort."public.alembic_version" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, revision varchar(32) NOT NULL);
