-- retort diff --from tests/schema/view_on_retyped_column/from.sql --to tests/schema/view_on_retyped_column/to.sql

DROP VIEW public.w;
DROP VIEW public.v;
-- hazard: rewrite: changing public.t.a to bigint rewrites public.t under an ACCESS EXCLUSIVE lock; safer: add a new column, backfill it in batches, then swap
ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint;
CREATE VIEW public.v AS
 SELECT t.a,
    t.b
   FROM public.t;
CREATE VIEW public.w AS
 SELECT v.a
   FROM public.v;
