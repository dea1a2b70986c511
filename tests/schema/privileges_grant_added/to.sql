CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric);
CREATE SEQUENCE app.ticket;
CREATE FUNCTION app.total_of(o bigint) RETURNS numeric LANGUAGE sql STABLE
    AS 'SELECT total FROM app.orders WHERE id = o';
CREATE TYPE app.state AS ENUM ('open', 'closed');
CREATE VIEW app.open_orders AS SELECT id FROM app.orders;

GRANT USAGE ON SCHEMA app TO retort_t_reader, retort_t_writer;
GRANT SELECT ON app.orders TO retort_t_reader;
GRANT SELECT, INSERT, UPDATE ON app.orders TO retort_t_writer;
GRANT USAGE, SELECT ON SEQUENCE app.ticket TO retort_t_writer;
REVOKE EXECUTE ON FUNCTION app.total_of(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.total_of(bigint) TO retort_t_reader;
REVOKE USAGE ON TYPE app.state FROM PUBLIC;
GRANT USAGE ON TYPE app.state TO retort_t_writer;
GRANT SELECT ON app.open_orders TO retort_t_reader;
