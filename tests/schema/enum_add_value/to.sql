CREATE TYPE mood AS ENUM ('meh', 'sad', 'ok', 'great', 'happy');
CREATE TABLE p (m mood DEFAULT 'ok');
