-- Revision ID: e2
-- Revises: e1
-- migrate:upgrade
ALTER TYPE mood ADD VALUE 'happy';
