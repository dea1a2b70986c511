-- Revision ID: s1
-- Revises: None
-- Transactional: false
-- migrate:upgrade
SET statement_timeout = '0';
