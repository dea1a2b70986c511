-- Revision ID: e3
-- Revises: e2
-- Transactional: false
-- migrate:upgrade
ALTER TYPE mood ADD VALUE 'glad';
