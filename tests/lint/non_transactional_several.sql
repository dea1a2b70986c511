-- Revision ID: n1
-- Revises: None
-- Transactional: false
-- migrate:upgrade
CREATE INDEX CONCURRENTLY a_id ON a (id);
CREATE INDEX CONCURRENTLY b_id ON b (id);
