CREATE TYPE address AS (street text, city text, zip varchar(5));
CREATE TYPE measure AS (amount int, unit text);
CREATE TABLE sites (id int PRIMARY KEY, addr address);
INSERT INTO sites VALUES (1, ROW('Main St', 'Springfield', '12345'));
