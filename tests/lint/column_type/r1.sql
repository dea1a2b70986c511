-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int, code varchar(20), name varchar(40), price numeric(8,2), note text, n int);
