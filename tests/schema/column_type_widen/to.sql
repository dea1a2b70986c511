CREATE TABLE t (a bigint, b varchar(200), c numeric(12,2), d text);
