-- Core schema: branches, policy, patrons and cards, accounts, staff, sessions, catalog,
-- loans, holds and the audit log. Times are INTEGER milliseconds since the Unix epoch (UTC);
-- days are TEXT 'YYYY-MM-DD' in the library's time zone. Constraints back the rules of RULES.md.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE branches (
  code            TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 16),
  name            TEXT NOT NULL CHECK (length(name) > 0),
  mobile_checkout INTEGER NOT NULL DEFAULT 0 CHECK (mobile_checkout IN (0, 1)),
  closed_weekdays TEXT NOT NULL DEFAULT '',   -- e.g. '1' (closed Mondays) or '0,1'
  created_at      INTEGER NOT NULL
);

CREATE TABLE branch_holidays (
  branch TEXT NOT NULL REFERENCES branches(code),
  day    TEXT NOT NULL,
  name   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (branch, day)
);

-- Loan, hold and points policy per card type (RULES.md defaults, seeded from the config file).
CREATE TABLE card_policy (
  card_type    TEXT PRIMARY KEY CHECK (card_type IN ('personal', 'family', 'group')),
  max_loans    INTEGER NOT NULL CHECK (max_loans >= 0),
  loan_days    INTEGER NOT NULL CHECK (loan_days > 0),
  max_renewals INTEGER NOT NULL CHECK (max_renewals >= 0),
  max_holds    INTEGER NOT NULL CHECK (max_holds >= 0),
  earns_points INTEGER NOT NULL CHECK (earns_points IN (0, 1))
);

CREATE TABLE accounts (
  id         INTEGER PRIMARY KEY,
  lang       TEXT NOT NULL DEFAULT 'zh-TW',
  created_at INTEGER NOT NULL
);

CREATE TABLE patrons (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL CHECK (length(name) > 0),
  email      TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE cards (
  number             TEXT PRIMARY KEY CHECK (length(number) BETWEEN 1 AND 32),
  patron_id          INTEGER NOT NULL REFERENCES patrons(id),
  type               TEXT NOT NULL CHECK (type IN ('personal', 'family', 'group')),
  status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lost', 'expired', 'blocked')),
  pin_hash           TEXT NOT NULL,
  account_id         INTEGER REFERENCES accounts(id),   -- a card belongs to at most one account
  borrow_resumes_on  TEXT,   -- 停權: borrowing suspended before this day
  reserve_resumes_on TEXT,   -- reserving suspended before this day
  keep_history       INTEGER NOT NULL DEFAULT 1 CHECK (keep_history IN (0, 1)),
  created_at         INTEGER NOT NULL
);
CREATE INDEX cards_by_account ON cards(account_id);
CREATE INDEX cards_by_patron ON cards(patron_id);

CREATE TABLE staff (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('sysadmin', 'branch_admin', 'counter', 'auditor')),
  branch        TEXT REFERENCES branches(code),   -- NULL: all branches
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    INTEGER NOT NULL
);

-- Bearer tokens are stored as SHA-256 hashes only.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER REFERENCES accounts(id),
  staff_id   INTEGER REFERENCES staff(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  CHECK ((account_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

-- Failed logins, for rate limiting per card/username and per IP.
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures(key, at);

CREATE TABLE bibs (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL CHECK (length(title) > 0),
  author     TEXT NOT NULL DEFAULT '',
  publisher  TEXT NOT NULL DEFAULT '',
  year       INTEGER,
  isbn       TEXT NOT NULL DEFAULT '',
  class_no   TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE items (
  id          INTEGER PRIMARY KEY,
  barcode     TEXT NOT NULL UNIQUE CHECK (length(barcode) BETWEEN 1 AND 64),
  bib_id      INTEGER NOT NULL REFERENCES bibs(id),
  branch      TEXT NOT NULL REFERENCES branches(code),
  loanable    INTEGER NOT NULL DEFAULT 1 CHECK (loanable IN (0, 1)),
  item_type   TEXT NOT NULL DEFAULT 'book',
  call_number TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX items_by_bib ON items(bib_id);

-- A returned loan of a card that erased its reading history keeps neither item nor title.
CREATE TABLE loans (
  id              INTEGER PRIMARY KEY,
  card            TEXT NOT NULL REFERENCES cards(number),
  item_id         INTEGER REFERENCES items(id),
  bib_id          INTEGER REFERENCES bibs(id),
  branch          TEXT NOT NULL REFERENCES branches(code),
  channel         TEXT NOT NULL CHECK (channel IN ('counter', 'kiosk', 'mobile')),
  checked_out_at  INTEGER NOT NULL,
  checkout_day    TEXT NOT NULL,
  due_on          TEXT NOT NULL,
  renewals        INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0),
  returned_at     INTEGER,
  returned_branch TEXT REFERENCES branches(code),
  overdue_days    INTEGER CHECK (overdue_days >= 0),
  CHECK (returned_at IS NOT NULL OR (item_id IS NOT NULL AND bib_id IS NOT NULL))
);
-- An item is on at most one open loan.
CREATE UNIQUE INDEX loans_one_open_per_item ON loans(item_id) WHERE returned_at IS NULL;
CREATE INDEX loans_open_by_card ON loans(card) WHERE returned_at IS NULL;
CREATE INDEX loans_by_card_day ON loans(card, checkout_day);

CREATE TABLE holds (
  id            INTEGER PRIMARY KEY,
  card          TEXT NOT NULL REFERENCES cards(number),
  bib_id        INTEGER NOT NULL REFERENCES bibs(id),
  pickup_branch TEXT NOT NULL REFERENCES branches(code),
  status        TEXT NOT NULL CHECK (status IN ('waiting', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired')),
  placed_at     INTEGER NOT NULL,
  item_id       INTEGER REFERENCES items(id),
  ready_on      TEXT,
  pickup_by     TEXT,
  closed_at     INTEGER,
  no_show       INTEGER NOT NULL DEFAULT 0 CHECK (no_show IN (0, 1)),
  CHECK (status NOT IN ('in_transit', 'ready') OR item_id IS NOT NULL),
  CHECK (status <> 'ready' OR (ready_on IS NOT NULL AND pickup_by IS NOT NULL))
);
-- One active hold per card and title; a copy is trapped for at most one hold.
CREATE UNIQUE INDEX holds_one_active_per_card_title ON holds(card, bib_id)
  WHERE status IN ('waiting', 'in_transit', 'ready');
CREATE UNIQUE INDEX holds_one_per_trapped_item ON holds(item_id) WHERE status IN ('in_transit', 'ready');
CREATE INDEX holds_waiting_by_bib ON holds(bib_id, placed_at, id) WHERE status = 'waiting';
CREATE INDEX holds_by_card ON holds(card, status);

-- Hash-chained, append-only audit log (RULES.md "Audit").
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  details   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_by_action ON audit_log(action);
CREATE INDEX audit_by_subject ON audit_log(subject);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
