CREATE TABLE people (id int PRIMARY KEY, name text, email text, salary numeric);
GRANT SELECT (id, name) ON people TO retort_t_reader;
GRANT UPDATE (email) ON people TO retort_t_writer;
