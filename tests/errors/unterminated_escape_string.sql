-- Revision ID: ue1
-- Revises: None
-- migrate:upgrade
SELECT E'escaped quote \' does not close;
