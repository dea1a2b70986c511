CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE p (m mood DEFAULT 'ok');
