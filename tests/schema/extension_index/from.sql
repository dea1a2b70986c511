CREATE EXTENSION pg_trgm;
CREATE TABLE d (body text);
