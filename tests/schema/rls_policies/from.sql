CREATE TABLE doc (owner text, body text);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON doc USING (owner = current_user);
