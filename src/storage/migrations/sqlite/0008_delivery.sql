-- Per-channel delivery of the outbox's notices (ARCHITECTURE.md "Outbox"). Every notice gets an
-- e-mail delivery row from a trigger, so no code path can forget one; the dispatcher claims due rows
-- with a lease, sends outside the transaction and records each attempt.
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  notice_id       INTEGER NOT NULL REFERENCES notices(id),
  channel         TEXT NOT NULL CHECK (channel IN ('email', 'push')),
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,          -- 'sending': another dispatcher may take over after this
  claim_token     TEXT,             -- who holds the lease; a late result of a lost lease is ignored
  last_error      TEXT,
  message_id      TEXT,             -- RFC 5322 Message-ID, the same on every attempt
  sent_at         INTEGER,
  UNIQUE (notice_id, channel)
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);

-- Each attempt, for the operators: when, how it ended, and the mail server's word.
CREATE TABLE delivery_attempts (
  id          INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
  at          INTEGER NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'error', 'skipped')),
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts(delivery_id, id);

CREATE TRIGGER notices_email_delivery AFTER INSERT ON notices
BEGIN
  INSERT INTO deliveries(notice_id, channel, next_attempt_at) VALUES (NEW.id, 'email', NEW.created_at);
END;

-- Which notices a card wants on which channel; no row means enabled. kind '*' covers every kind.
CREATE TABLE notice_preferences (
  card    TEXT NOT NULL REFERENCES cards(number),
  kind    TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'push', 'inbox')),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  PRIMARY KEY (card, kind, channel)
);
