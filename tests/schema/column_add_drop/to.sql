CREATE TABLE t (id int, new_col integer NOT NULL DEFAULT 0, note varchar(20));
