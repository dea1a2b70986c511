-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
