-- Message: merge email and orders
-- Revision ID: d4d4
-- Revises: b2b2, c3c3

-- migrate:upgrade
CREATE INDEX orders_user_id ON orders (user_id);

-- migrate:downgrade
DROP INDEX orders_user_id;
