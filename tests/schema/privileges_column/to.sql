CREATE TABLE people (id int PRIMARY KEY, name text, email text, salary numeric, team text);
GRANT SELECT (id, name, email) ON people TO retort_t_reader;
GRANT SELECT (team), UPDATE (team) ON people TO retort_t_writer WITH GRANT OPTION;
GRANT INSERT (name) ON people TO retort_t_writer;
