CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
CREATE TABLE c (id int PRIMARY KEY, b_id int REFERENCES b);
CREATE VIEW abc AS SELECT a.id FROM a JOIN b ON b.a_id = a.id JOIN c ON c.b_id = b.id;
