-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE a (id int, old int, gone int);
CREATE TABLE b (id int);
CREATE TABLE c (id int);
