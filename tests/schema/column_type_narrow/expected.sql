-- retort diff --from tests/schema/column_type_narrow/from.sql --to tests/schema/column_type_narrow/to.sql

-- hazard: data loss: public.t.a narrows from bigint to integer: longer values fail or are cut
-- hazard: rewrite: changing public.t.a to integer rewrites public.t under an ACCESS EXCLUSIVE lock; safer: add a new column, backfill it in batches, then swap
ALTER TABLE public.t ALTER COLUMN a TYPE integer USING a::integer;
-- hazard: data loss: public.t.b narrows from character varying(200) to character varying(20): longer values fail or are cut
-- hazard: rewrite: changing public.t.b to character varying(20) rewrites public.t under an ACCESS EXCLUSIVE lock; safer: add a new column, backfill it in batches, then swap
ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20) USING b::character varying(20);
-- hazard: data loss: public.t.c narrows from text to character varying(10): longer values fail or are cut
-- hazard: rewrite: changing public.t.c to character varying(10) rewrites public.t under an ACCESS EXCLUSIVE lock; safer: add a new column, backfill it in batches, then swap
ALTER TABLE public.t ALTER COLUMN c TYPE character varying(10) USING c::character varying(10);
