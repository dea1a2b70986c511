-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE accounts (id int, email text);
