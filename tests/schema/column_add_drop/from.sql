CREATE TABLE t (id int, old_col text);
