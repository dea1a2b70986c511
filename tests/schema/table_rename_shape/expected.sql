-- retort diff --from tests/schema/table_rename_shape/from.sql --to tests/schema/table_rename_shape/to.sql

-- hazard: data loss: drops table public.person and its rows
DROP TABLE public.person;
-- possible rename: if public.person was renamed to public.people, replace its DROP and this CREATE with: ALTER TABLE public.person RENAME TO people;
CREATE TABLE public.people (
    id integer NOT NULL,
    name text
);
ALTER TABLE public.people ADD CONSTRAINT people_pkey PRIMARY KEY (id);
