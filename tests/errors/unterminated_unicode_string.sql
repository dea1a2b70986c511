-- Revision ID: uu1
-- Revises: None
-- migrate:upgrade
SELECT U&'d\0061t\+000061 never closed;
