-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
CREATE TABLE notes (id int, account_id int);
-- same revision: the table is empty, no lock to fear
CREATE INDEX notes_account ON notes (account_id);
-- created by an earlier revision: full of rows by now
CREATE INDEX accounts_email ON accounts (email);
CREATE UNIQUE INDEX IF NOT EXISTS accounts_id ON public.accounts (id);
-- not created by any revision: exists all the same
CREATE INDEX legacy_id ON legacy (id);
