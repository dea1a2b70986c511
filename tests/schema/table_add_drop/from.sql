CREATE TABLE gone (id int PRIMARY KEY, v text);
