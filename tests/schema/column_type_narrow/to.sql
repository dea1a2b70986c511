CREATE TABLE t (a int, b varchar(20), c varchar(10));
