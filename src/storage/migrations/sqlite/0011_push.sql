-- Web Push (RFC 8030, 8291, 8292): the server's VAPID key, each browser's subscription per card, and
-- one send per notice and subscription. The notice's 'push' row in deliveries sums its sends up.
CREATE TABLE push_vapid_keys (
  id          INTEGER PRIMARY KEY CHECK (id = 1),  -- one key per library
  private_key TEXT NOT NULL,    -- base64url of the 32-byte P-256 scalar
  public_key  TEXT NOT NULL,    -- base64url of the 65-byte uncompressed point
  created_at  INTEGER NOT NULL
);

CREATE TABLE push_subscriptions (
  id              INTEGER PRIMARY KEY,
  card            TEXT NOT NULL REFERENCES cards(number),
  endpoint        TEXT NOT NULL UNIQUE,  -- the push service's URL for one browser
  p256dh          TEXT NOT NULL,         -- base64url, the browser's 65-byte public key
  auth            TEXT NOT NULL,         -- base64url, the 16-byte auth secret
  created_at      INTEGER NOT NULL,
  last_success_at INTEGER,
  failures        INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0)  -- in a row, reset on success
);
CREATE INDEX push_subscriptions_by_card ON push_subscriptions(card);

-- A removed subscription leaves its unsent rows with subscription_id NULL; the dispatcher skips them.
CREATE TABLE push_sends (
  id              INTEGER PRIMARY KEY,
  delivery_id     INTEGER NOT NULL REFERENCES deliveries(id),
  subscription_id INTEGER REFERENCES push_subscriptions(id) ON DELETE SET NULL,
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  claim_token     TEXT,
  last_error      TEXT,
  sent_at         INTEGER,
  UNIQUE (delivery_id, subscription_id)
);
CREATE INDEX push_sends_due ON push_sends(status, next_attempt_at);

-- A notice for a card with subscriptions gets a push delivery and one send per subscription. The
-- daily digest is mail only: its items are pushed one by one.
CREATE TRIGGER notices_push_delivery AFTER INSERT ON notices
WHEN NEW.kind <> 'digest' AND EXISTS (SELECT 1 FROM push_subscriptions WHERE card = NEW.card)
BEGIN
  INSERT INTO deliveries(notice_id, channel, next_attempt_at) VALUES (NEW.id, 'push', NEW.created_at);
  INSERT INTO push_sends(delivery_id, subscription_id, next_attempt_at)
    SELECT (SELECT id FROM deliveries WHERE notice_id = NEW.id AND channel = 'push'), s.id, NEW.created_at
    FROM push_subscriptions s WHERE s.card = NEW.card ORDER BY s.id;
END;
