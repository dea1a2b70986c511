-- Message: orders, on a branch of its own
-- Revision ID: c3c3
-- Revises: a1a1
-- Branch Labels: shop

-- migrate:upgrade
CREATE TABLE orders (id bigint PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id));

-- migrate:downgrade
DROP TABLE orders;
