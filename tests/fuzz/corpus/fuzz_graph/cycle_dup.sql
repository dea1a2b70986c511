-- Revision ID: a
-- Revises: c
-- migrate:upgrade
%%
-- Revision ID: b
-- Revises: a
-- Depends On: lbl
-- migrate:upgrade
%%
-- Revision ID: c
-- Revises: b
-- Branch Labels: lbl
-- migrate:upgrade
%%
-- Revision ID: a
-- Revises: None
-- migrate:upgrade
