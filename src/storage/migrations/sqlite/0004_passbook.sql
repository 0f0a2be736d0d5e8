-- Prizes and redemptions, events, registrations, backfills (RULES.md "Prizes and redemption",
-- "Events"), and idempotency keys for every write (API.md "Conventions").
CREATE TABLE prizes (
  id             INTEGER PRIMARY KEY,
  branch         TEXT NOT NULL REFERENCES branches(code),
  name           TEXT NOT NULL CHECK (length(name) > 0),
  description    TEXT NOT NULL DEFAULT '',
  sponsor        TEXT NOT NULL DEFAULT '',
  image_url      TEXT,
  cost           INTEGER NOT NULL CHECK (cost > 0),
  stock_total    INTEGER NOT NULL CHECK (stock_total >= 0),
  taken          INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),  -- pending + completed units
  per_card_limit INTEGER NOT NULL DEFAULT 0 CHECK (per_card_limit >= 0),
  on_sale_from   INTEGER,
  on_sale_until  INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  CHECK (taken <= stock_total),   -- stock never below zero
  CHECK (on_sale_from IS NULL OR on_sale_until IS NULL OR on_sale_from < on_sale_until)
);
CREATE INDEX prizes_by_branch ON prizes(branch);

-- Every change of a prize's total quantity, with its reason (also in the audit log).
CREATE TABLE prize_stock_changes (
  id        INTEGER PRIMARY KEY,
  prize_id  INTEGER NOT NULL REFERENCES prizes(id),
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  old_total INTEGER NOT NULL,
  new_total INTEGER NOT NULL,
  reason    TEXT NOT NULL CHECK (length(reason) > 0)
);
CREATE TRIGGER prize_stock_changes_no_update BEFORE UPDATE ON prize_stock_changes
BEGIN SELECT RAISE(ABORT, 'prize_stock_changes is append-only'); END;
CREATE TRIGGER prize_stock_changes_no_delete BEFORE DELETE ON prize_stock_changes
BEGIN SELECT RAISE(ABORT, 'prize_stock_changes is append-only'); END;

CREATE TABLE redemptions (
  id            INTEGER PRIMARY KEY,
  card          TEXT NOT NULL REFERENCES cards(number),
  prize_id      INTEGER NOT NULL REFERENCES prizes(id),
  branch        TEXT NOT NULL REFERENCES branches(code),
  cost          INTEGER NOT NULL CHECK (cost > 0),
  status        TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'cancelled', 'expired')),
  channel       TEXT NOT NULL CHECK (channel IN ('app', 'counter')),
  code_key      TEXT,              -- base64url, 32 random bytes; app redemptions only
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,
  completed_at  INTEGER,
  completed_by  TEXT,
  closed_at     INTEGER,           -- cancelled or expired
  closed_by     TEXT,
  cancel_reason TEXT,
  CHECK (status <> 'pending' OR (expires_at IS NOT NULL AND code_key IS NOT NULL)),
  CHECK (status <> 'completed' OR completed_at IS NOT NULL)
);
CREATE INDEX redemptions_by_card ON redemptions(card, prize_id, status);
CREATE INDEX redemptions_pending ON redemptions(expires_at) WHERE status = 'pending';
CREATE INDEX redemptions_by_branch ON redemptions(branch, created_at);

CREATE TABLE events (
  id                    INTEGER PRIMARY KEY,
  branch                TEXT NOT NULL REFERENCES branches(code),
  title                 TEXT NOT NULL CHECK (length(title) > 0),
  description           TEXT NOT NULL DEFAULT '',
  starts_at             INTEGER NOT NULL,
  ends_at               INTEGER NOT NULL,
  attendance_points     INTEGER NOT NULL CHECK (attendance_points >= 0),
  capacity              INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),  -- 0 = none
  registration_cost     INTEGER NOT NULL DEFAULT 0 CHECK (registration_cost >= 0),
  registration_deadline INTEGER,
  token_key             TEXT NOT NULL,   -- base64url, 32 random bytes: the attendance QR's HMAC key
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  CHECK (starts_at < ends_at)
);
CREATE INDEX events_by_time ON events(starts_at);

-- One attendance credit per card and event, by QR claim or approved backfill.
CREATE TABLE event_credits (
  event_id     INTEGER NOT NULL REFERENCES events(id),
  card         TEXT NOT NULL REFERENCES cards(number),
  source       TEXT NOT NULL CHECK (source IN ('qr', 'backfill')),
  ledger_entry INTEGER REFERENCES ledger(id),
  at           INTEGER NOT NULL,
  PRIMARY KEY (event_id, card)
);

CREATE TABLE registrations (
  id            INTEGER PRIMARY KEY,
  event_id      INTEGER NOT NULL REFERENCES events(id),
  card          TEXT NOT NULL REFERENCES cards(number),
  status        TEXT NOT NULL CHECK (status IN ('registered', 'cancelled')),
  cost          INTEGER NOT NULL CHECK (cost >= 0),
  registered_at INTEGER NOT NULL,
  cancelled_at  INTEGER
);
CREATE UNIQUE INDEX registrations_one_active ON registrations(event_id, card) WHERE status = 'registered';

CREATE TABLE backfills (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events(id),
  card       TEXT NOT NULL REFERENCES cards(number),
  note       TEXT NOT NULL CHECK (length(note) > 0),
  status     TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'approved', 'rejected')),
  filed_by   INTEGER REFERENCES staff(id),
  filed_at   INTEGER NOT NULL,
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER
);
CREATE UNIQUE INDEX backfills_one_open ON backfills(event_id, card) WHERE status = 'awaiting_approval';
CREATE INDEX backfills_by_status ON backfills(status, filed_at);

-- Idempotency-Key: a replay answers what the first answered (API.md "Conventions").
CREATE TABLE idempotency_keys (
  caller       TEXT NOT NULL,
  method       TEXT NOT NULL,
  path         TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER,            -- NULL while the first request is in flight
  body         TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (caller, method, path, key)
);
CREATE INDEX idempotency_by_age ON idempotency_keys(created_at);
