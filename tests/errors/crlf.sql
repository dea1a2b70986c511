-- Revision ID: crlf1
-- Revises: None
-- Message: windows
-- Transactional: false
-- migrate:upgrade
CREATE INDEX CONCURRENTLY i ON t
  (a);
-- migrate:downgrade
DROP INDEX i;
