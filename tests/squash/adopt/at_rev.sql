-- What a1a1..d4d4 did to a production database (b2b2 ran in Python,
-- backfilling email), and Alembic's version table at d4d4.
CREATE TABLE users (id serial PRIMARY KEY, name varchar(50) NOT NULL);
INSERT INTO users (name) VALUES ('ann'), ('bob');
ALTER TABLE users ADD COLUMN email varchar(200);
UPDATE users SET email = name || '@example.com';
CREATE TABLE orders (id bigint PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id));
CREATE INDEX orders_user_id ON orders (user_id);
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version VALUES ('d4d4');
