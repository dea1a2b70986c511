CREATE TABLE t (a int DEFAULT 2, b text DEFAULT 'x', c timestamptz);
