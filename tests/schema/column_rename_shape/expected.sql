-- retort diff --from tests/schema/column_rename_shape/from.sql --to tests/schema/column_rename_shape/to.sql

-- hazard: data loss: drops column public.t.fullname and its values
ALTER TABLE public.t DROP COLUMN fullname;
-- possible rename: if public.t.fullname was renamed to public.t.display_name, replace its DROP and this CREATE with: ALTER TABLE public.t RENAME COLUMN fullname TO display_name;
ALTER TABLE public.t ADD COLUMN display_name text;
