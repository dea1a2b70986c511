CREATE TABLE t (s varchar(10) CHECK (s IN ('x', 'y')));
