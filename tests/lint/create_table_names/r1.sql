-- Revision ID: r1
-- Revises: None
-- migrate:upgrade
CREATE TABLE "Mixed" (id int);
CREATE UNLOGGED TABLE IF NOT EXISTS app.things (code varchar(10));
CREATE TABLE public.plain (id int);
CREATE TEMP TABLE scratch (id int);
