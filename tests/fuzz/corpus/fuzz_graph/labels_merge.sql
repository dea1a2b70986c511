-- Revision ID: r1
-- Revises:
-- Branch Labels: main, head
-- migrate:upgrade
SELECT 1;
%%
-- Revision ID: r2
-- Revises: r1
-- Depends On: o1
-- migrate:upgrade
%%
-- Revision ID: o1
-- Revises: None
-- Branch Labels: other
-- migrate:upgrade
%%
-- Revision ID: m1
-- Revises: r2, o1
-- migrate:upgrade
-- migrate:downgrade
%%
-- Revision ID: r3abcdefabcdefabcdefabcdefabcdefabcdef
-- Revises: r
-- migrate:upgrade
