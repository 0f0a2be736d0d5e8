-- Notices are written in the transaction of what caused them; dispatchers deliver them later.
CREATE TABLE notices (
  id           INTEGER PRIMARY KEY,
  card         TEXT NOT NULL REFERENCES cards(number),
  kind         TEXT NOT NULL,     -- hold_ready, due_soon, overdue, suspension, redemption_done, ...
  payload      TEXT NOT NULL,     -- JSON
  dedupe_key   TEXT UNIQUE,       -- once per occurrence (scheduled reminders)
  created_at   INTEGER NOT NULL,
  read_at      INTEGER
);
CREATE INDEX notices_by_card ON notices(card, id);
