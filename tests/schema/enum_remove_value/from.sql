CREATE TYPE status AS ENUM ('new', 'open', 'closed', 'archived');
CREATE TABLE ticket (s status NOT NULL DEFAULT 'new', hist status[]);
CREATE VIEW open_tickets AS SELECT s FROM ticket WHERE s <> 'closed';
