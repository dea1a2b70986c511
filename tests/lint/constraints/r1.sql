-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE accounts (id int PRIMARY KEY, email text);
CREATE TABLE notes (id int, account_id int, body text);
