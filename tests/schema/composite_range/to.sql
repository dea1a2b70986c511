CREATE TYPE pair AS (a int, b text, c date);
CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
CREATE TABLE r (span floatrange, p pair);
