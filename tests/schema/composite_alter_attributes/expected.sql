-- retort diff --from tests/schema/composite_alter_attributes/from.sql --to tests/schema/composite_alter_attributes/to.sql

-- hazard: data loss: drops attribute city of public.address: the values column public.sites.addr holds in it are lost
ALTER TYPE public.address DROP ATTRIBUTE city;
ALTER TYPE public.address ADD ATTRIBUTE country text COLLATE pg_catalog."C";
ALTER TYPE public.measure ALTER ATTRIBUTE amount SET DATA TYPE numeric(12,3);
