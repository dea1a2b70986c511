-- Revison ID: typo
-- Note: free text
-- Revises: a, b, , c-d
-- Transactional: maybe
SELECT 1;
  -- migrate:upgrade
-- migrate:upgradex
-- migrate:downgrade
-- migrate:upgrade
/* /* unterminated