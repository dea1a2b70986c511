-- Revision ID: ui1
-- Revises: None
-- migrate:upgrade
CREATE TABLE "weird""name (id int);
