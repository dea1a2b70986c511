CREATE EXTENSION btree_gist;
CREATE TABLE room (id int, during tsrange);
