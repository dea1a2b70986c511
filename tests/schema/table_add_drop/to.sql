CREATE TABLE fresh (id bigint PRIMARY KEY, created timestamptz NOT NULL DEFAULT now());
