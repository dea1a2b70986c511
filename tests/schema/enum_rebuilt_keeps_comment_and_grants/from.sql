CREATE TYPE mood AS ENUM ('a', 'b', 'c');
COMMENT ON TYPE mood IS 'how';
REVOKE USAGE ON TYPE mood FROM PUBLIC;
GRANT USAGE ON TYPE mood TO retort_t_reader;
CREATE TABLE t (id int, m mood, amount int);
CREATE VIEW v AS SELECT id, amount FROM t;
GRANT SELECT ON v TO retort_t_reader;
GRANT SELECT (amount) ON t TO retort_t_writer;
