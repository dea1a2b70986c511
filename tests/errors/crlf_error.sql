-- Revision ID: crlf2
-- Revises: None
-- migrate:upgrade
SELECT 1;
SELECT 'unterminated
