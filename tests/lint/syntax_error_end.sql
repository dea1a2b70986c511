-- Revision ID: s1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (
    id int,
    note text
