CREATE TABLE t (a int CHECK (a > 0), s varchar(10));
