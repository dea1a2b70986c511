-- Revision ID: r2
-- Revises: r1
-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE notes ADD CONSTRAINT notes_account FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE notes ADD CONSTRAINT notes_body CHECK (length(body) < 1000);
ALTER TABLE notes ADD CONSTRAINT notes_account2 FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
ALTER TABLE notes VALIDATE CONSTRAINT notes_account2;
ALTER TABLE accounts ADD CONSTRAINT accounts_email UNIQUE (email);
CREATE UNIQUE INDEX CONCURRENTLY notes_id ON notes (id);
ALTER TABLE notes ADD CONSTRAINT notes_pk PRIMARY KEY USING INDEX notes_id;
ALTER TABLE notes ADD COLUMN code text UNIQUE;
CREATE TABLE tags (id int);
ALTER TABLE tags ADD PRIMARY KEY (id), ADD CONSTRAINT tags_id CHECK (id > 0);
