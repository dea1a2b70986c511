CREATE TABLE t (a int, b varchar(20), c numeric(8,2), d smallint);
