CREATE TABLE t (a int, b text, c jsonb, d int);
CREATE INDEX t_a ON t (a);
