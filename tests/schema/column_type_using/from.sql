CREATE TABLE t (n text DEFAULT '0', flag int);
