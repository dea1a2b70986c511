CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric);
CREATE SEQUENCE app.ticket;
CREATE FUNCTION app.total_of(o bigint) RETURNS numeric LANGUAGE sql STABLE
    AS 'SELECT total FROM app.orders WHERE id = o';
CREATE TYPE app.state AS ENUM ('open', 'closed');

GRANT USAGE ON SCHEMA app TO retort_t_absent, retort_t_absent;
GRANT SELECT, INSERT, UPDATE ON app.orders TO retort_t_absent;
GRANT USAGE, SELECT ON SEQUENCE app.ticket TO retort_t_absent;
REVOKE EXECUTE ON FUNCTION app.total_of(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.total_of(bigint) TO retort_t_absent;
REVOKE USAGE ON TYPE app.state FROM PUBLIC;
GRANT USAGE ON TYPE app.state TO retort_t_absent;
