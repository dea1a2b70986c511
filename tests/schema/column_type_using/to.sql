CREATE TABLE t (n integer DEFAULT 0, flag boolean);
