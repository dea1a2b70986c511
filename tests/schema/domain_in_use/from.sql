CREATE DOMAIN amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TABLE pay (a amount, b amount DEFAULT 0);
CREATE VIEW big AS SELECT a FROM pay WHERE a > 100;
