-- Revision ID: utf1
-- Revises: None
-- Message: caf√© ok, then bad
-- migrate:upgrade
SELECT '¿Ø overlong', 'Ì†Ä surrogate';
SELECT 1; -- truncated at the end: ‚Ç