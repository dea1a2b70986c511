CREATE TABLE t (a int CHECK (a > 10), s varchar(10) CHECK (s IN ('x', 'y')));
