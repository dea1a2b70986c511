CREATE TYPE b AS ENUM ('y', 'z');
CREATE TABLE t (v b);
