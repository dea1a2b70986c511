-- Revision ID: i1
-- Revises: None
-- migrate:upgrade
CREATE TABLE t (id int);
-- retort:ignore require-concurrent-index
CREATE INDEX t_a ON legacy (id);
-- retort:ignore no-such-rule because
CREATE INDEX t_b ON legacy (id);
-- retort:ignore require-concurrent-index,lock-timeout legacy is tiny
CREATE INDEX t_c ON legacy (id);
CREATE INDEX t_d ON legacy (id); -- retort:ignore require-concurrent-index applies to the next statement
CREATE INDEX t_e ON legacy (id);
