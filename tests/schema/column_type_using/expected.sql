-- retort diff --from tests/schema/column_type_using/from.sql --to tests/schema/column_type_using/to.sql

-- check: public.t.flag converts from integer with USING flag::boolean; write the conversion you need
-- hazard: rewrite: changing public.t.flag to boolean rewrites public.t under an ACCESS EXCLUSIVE lock; safer: add a new column, backfill it in batches, then swap
ALTER TABLE public.t ALTER COLUMN flag TYPE boolean USING flag::boolean;
ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;
-- check: public.t.n converts from text with USING n::integer; write the conversion you need
-- hazard: rewrite: changing public.t.n to integer rewrites public.t under an ACCESS EXCLUSIVE lock; safer: add a new column, backfill it in batches, then swap
ALTER TABLE public.t ALTER COLUMN n TYPE integer USING n::integer;
ALTER TABLE public.t ALTER COLUMN n SET DEFAULT 0;
