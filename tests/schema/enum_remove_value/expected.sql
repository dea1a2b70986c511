-- retort diff --from tests/schema/enum_remove_value/from.sql --to tests/schema/enum_remove_value/to.sql

DROP VIEW public.open_tickets;
-- hazard: data loss: public.status loses or reorders values: rows holding a removed value make the conversion fail
ALTER TYPE public.status RENAME TO "status__retort_old";
CREATE TYPE public.status AS ENUM ('new', 'closed', 'open');
ALTER TABLE public.ticket ALTER COLUMN hist TYPE public.status[] USING hist::text[]::public.status[];
ALTER TABLE public.ticket ALTER COLUMN s DROP DEFAULT;
ALTER TABLE public.ticket ALTER COLUMN s TYPE public.status USING s::text::public.status;
ALTER TABLE public.ticket ALTER COLUMN s SET DEFAULT 'new'::public.status;
DROP TYPE public."status__retort_old";
CREATE VIEW public.open_tickets AS
 SELECT ticket.s
   FROM public.ticket
  WHERE (ticket.s <> 'closed'::public.status);
