CREATE EXTENSION btree_gist;
CREATE TABLE room (id int, during tsrange, EXCLUDE USING gist (id WITH =, during WITH &&));
