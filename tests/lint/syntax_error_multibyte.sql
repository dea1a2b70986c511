-- Revision ID: s1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int, note text);
INSERT INTO t (id, note) VALUES (1, 'café €'), (2, 'naïve') RETURNIN id;
