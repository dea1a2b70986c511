CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric);
CREATE SEQUENCE app.ticket;
CREATE FUNCTION app.total_of(o bigint) RETURNS numeric LANGUAGE sql STABLE
    AS 'SELECT total FROM app.orders WHERE id = o';
CREATE TYPE app.state AS ENUM ('open', 'closed');
