-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
CREATE TABLE u (id int);
