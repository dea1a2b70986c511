CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
CREATE FUNCTION span_len(r floatrange) RETURNS float8 LANGUAGE sql
    AS 'SELECT upper(r) - lower(r)';
