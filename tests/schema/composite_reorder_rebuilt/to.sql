CREATE TYPE pair AS (b text, a int);
CREATE TYPE used AS (x int, y int);
CREATE TABLE t (u used);
