-- Revision ID: e4
-- Revises: e3
-- migrate:upgrade
UPDATE m SET mood = 'glad' WHERE id = 2;
