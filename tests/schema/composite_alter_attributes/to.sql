CREATE TYPE address AS (street text, zip varchar(5), country text COLLATE "C");
CREATE TYPE measure AS (amount numeric(12, 3), unit text);
CREATE TABLE sites (id int PRIMARY KEY, addr address);
