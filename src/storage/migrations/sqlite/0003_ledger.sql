-- The points ledger (RULES.md "Points"): append-only, one unique source key per entry, each entry
-- carrying the balance after it; the balance can never go below zero. The database enforces all of it.
CREATE TABLE ledger (
  id            INTEGER PRIMARY KEY,
  card          TEXT NOT NULL REFERENCES cards(number),
  at            INTEGER NOT NULL,
  day           TEXT NOT NULL,      -- local day, for caps and period sums
  kind          TEXT NOT NULL CHECK (kind IN ('loan', 'event', 'redemption', 'refund', 'registration',
                                              'transfer_out', 'transfer_in', 'opening')),
  delta         INTEGER NOT NULL,
  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
  source_key    TEXT NOT NULL UNIQUE,
  refers_to     INTEGER REFERENCES ledger(id),   -- the entry a refund undoes
  loan_id       INTEGER REFERENCES loans(id),    -- never a title or barcode: titles are joined in on read
  branch        TEXT REFERENCES branches(code),
  CHECK ((kind IN ('loan', 'event', 'refund', 'transfer_in', 'opening') AND delta > 0)
      OR (kind IN ('redemption', 'registration', 'transfer_out') AND delta < 0)),
  CHECK (kind <> 'loan' OR loan_id IS NOT NULL),
  CHECK (kind <> 'refund' OR refers_to IS NOT NULL)
);
CREATE INDEX ledger_by_card ON ledger(card, id);
CREATE INDEX ledger_by_card_day ON ledger(card, day, kind);
CREATE INDEX ledger_by_day ON ledger(day);

CREATE TABLE point_balances (
  card            TEXT PRIMARY KEY REFERENCES cards(number),
  balance         INTEGER NOT NULL CHECK (balance >= 0),
  lifetime_earned INTEGER NOT NULL CHECK (lifetime_earned >= 0),
  last_entry_id   INTEGER NOT NULL REFERENCES ledger(id)
);

-- Each entry must continue the card's chain of balances.
CREATE TRIGGER ledger_follows_balance BEFORE INSERT ON ledger
WHEN NEW.balance_after <> COALESCE((SELECT balance FROM point_balances WHERE card = NEW.card), 0) + NEW.delta
BEGIN SELECT RAISE(ABORT, 'ledger balance_after does not follow the card balance'); END;

CREATE TRIGGER ledger_apply AFTER INSERT ON ledger
BEGIN
  INSERT INTO point_balances(card, balance, lifetime_earned, last_entry_id)
  VALUES (NEW.card, NEW.balance_after, CASE WHEN NEW.kind IN ('loan', 'event') THEN NEW.delta ELSE 0 END, NEW.id)
  ON CONFLICT(card) DO UPDATE SET
    balance = NEW.balance_after,
    lifetime_earned = lifetime_earned + CASE WHEN NEW.kind IN ('loan', 'event') THEN NEW.delta ELSE 0 END,
    last_entry_id = NEW.id;
END;

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;

-- Balances change only through ledger entries.
CREATE TRIGGER point_balances_follow_ledger BEFORE UPDATE ON point_balances
WHEN NEW.last_entry_id IS NOT (SELECT MAX(id) FROM ledger WHERE card = NEW.card)
  OR NEW.balance <> (SELECT balance_after FROM ledger WHERE id = NEW.last_entry_id)
BEGIN SELECT RAISE(ABORT, 'point balances change only through the ledger'); END;
CREATE TRIGGER point_balances_no_delete BEFORE DELETE ON point_balances
BEGIN SELECT RAISE(ABORT, 'point balances change only through the ledger'); END;
