CREATE TABLE t (a bigint, b varchar(200), c text);
