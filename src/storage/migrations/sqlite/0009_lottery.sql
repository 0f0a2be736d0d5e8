-- Verifiable lotteries (RULES.md "Lottery"): define, freeze (list and commitments published),
-- draw once, check, publish (secret revealed).
CREATE TABLE lotteries (
  id                INTEGER PRIMARY KEY,
  title             TEXT NOT NULL CHECK (length(title) > 0),
  period_from       TEXT NOT NULL,
  period_to         TEXT NOT NULL,
  min_loans         INTEGER NOT NULL CHECK (min_loans >= 0),
  card_types        TEXT NOT NULL,            -- comma list: personal,family,group
  public_value_name TEXT NOT NULL DEFAULT '', -- e.g. the invoice lottery drawn on a named day; '' = none
  status            TEXT NOT NULL CHECK (status IN ('defined', 'frozen', 'drawn', 'published')),
  list              TEXT,                     -- tokens, bytewise sorted, LF after each
  list_hash         TEXT,
  secret            TEXT,                     -- hex; revealed when published
  secret_hash       TEXT,
  public_value      TEXT,
  seed              TEXT,
  created_at        INTEGER NOT NULL,
  frozen_at         INTEGER,
  drawn_at          INTEGER,
  published_at      INTEGER,
  CHECK (period_from <= period_to)
);

CREATE TABLE lottery_prizes (
  lottery_id INTEGER NOT NULL REFERENCES lotteries(id),
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL CHECK (length(name) > 0),
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (lottery_id, position)
);

-- Who is behind each token (never published; patrons see their own).
CREATE TABLE lottery_entries (
  lottery_id INTEGER NOT NULL REFERENCES lotteries(id),
  token      TEXT NOT NULL,
  card       TEXT NOT NULL REFERENCES cards(number),
  PRIMARY KEY (lottery_id, token)
);
CREATE INDEX lottery_entries_by_card ON lottery_entries(card);

-- The shuffled order's head: winners, disqualified ones (with the published reason) and replacements.
CREATE TABLE lottery_results (
  lottery_id     INTEGER NOT NULL REFERENCES lotteries(id),
  rank           INTEGER NOT NULL,          -- 0-based position in the shuffled list
  token          TEXT NOT NULL,
  prize_position INTEGER,                   -- NULL once disqualified
  status         TEXT NOT NULL CHECK (status IN ('winner', 'disqualified')),
  reason         TEXT,
  PRIMARY KEY (lottery_id, rank)
);
