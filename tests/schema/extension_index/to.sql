CREATE EXTENSION pg_trgm;
CREATE TABLE d (body text);
CREATE INDEX d_body_trgm ON d USING gin (body gin_trgm_ops);
