CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0);
CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE TABLE c (e email, n posint);
