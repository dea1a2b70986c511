CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric);
CREATE FUNCTION balance_of(a int) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
GRANT SELECT, DELETE ON accounts TO retort_t_reader WITH GRANT OPTION;
GRANT SELECT, UPDATE ON accounts TO retort_t_writer;
GRANT TRUNCATE ON accounts TO PUBLIC;
GRANT EXECUTE ON FUNCTION balance_of(int) TO retort_t_writer;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;
