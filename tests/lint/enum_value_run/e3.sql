-- Revision ID: e3
-- Revises: e2
-- migrate:upgrade
UPDATE m SET mood = 'happy' WHERE id = 1;
