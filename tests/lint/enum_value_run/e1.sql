-- Revision ID: e1
-- Revises: None
-- migrate:upgrade
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE m (id int, mood mood);
