-- retort diff --from tests/schema/privileges_column/from.sql --to tests/schema/privileges_column/to.sql

REVOKE UPDATE (email) ON TABLE public.people FROM retort_t_writer;
GRANT SELECT (email) ON TABLE public.people TO retort_t_reader;
GRANT INSERT (name) ON TABLE public.people TO retort_t_writer;
ALTER TABLE public.people ADD COLUMN team text;
GRANT SELECT (team), UPDATE (team) ON TABLE public.people TO retort_t_writer WITH GRANT OPTION;
