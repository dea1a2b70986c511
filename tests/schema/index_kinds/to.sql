CREATE TABLE t (a int, b text, c jsonb, d int);
CREATE UNIQUE INDEX t_a ON t (a) INCLUDE (d);
CREATE INDEX t_b_partial ON t (b) WHERE d > 0;
CREATE INDEX t_lower ON t (lower(b) text_pattern_ops);
CREATE INDEX t_c ON t USING gin (c jsonb_path_ops);
CREATE INDEX t_hash ON t USING hash (b);
CREATE INDEX t_desc ON t (a DESC NULLS LAST, b COLLATE "C");
