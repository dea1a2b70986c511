CREATE TABLE audit (at timestamptz, what text);
CREATE PROCEDURE log_it(what text) LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit VALUES (now(), what);
END $$;
CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM audit; END;
