CREATE TYPE pair AS (a int, b text);
CREATE TYPE used AS (x int);
CREATE TABLE t (u used);
