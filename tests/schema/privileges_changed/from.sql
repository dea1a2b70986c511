CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric);
CREATE FUNCTION balance_of(a int) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
GRANT SELECT, INSERT ON accounts TO retort_t_reader;
GRANT SELECT ON accounts TO retort_t_writer WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION balance_of(int) TO retort_t_reader;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;
