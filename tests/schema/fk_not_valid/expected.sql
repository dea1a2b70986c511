-- retort diff --from tests/schema/fk_not_valid/from.sql --to tests/schema/fk_not_valid/to.sql

-- hazard: long lock: VALIDATE CONSTRAINT c_pid scans public.c (a SHARE UPDATE EXCLUSIVE lock: writes go on)
ALTER TABLE public.c VALIDATE CONSTRAINT c_pid;
