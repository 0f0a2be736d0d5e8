-- The audit log without UNIQUE(hash). Nothing looks a row up by its hash, and the chain needs no
-- such index: each hash covers the previous one, and verification walks the rows in order. A
-- SHA-256 key lands on a random page, so every audit row dirtied one more page of its own: about
-- 45% of the WAL pages of a checkout (docs/BENCHMARKS.md "Fewer pages per checkout").
CREATE TABLE audit_log_new (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  details   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
INSERT INTO audit_log_new(seq, at, actor, action, subject, details, prev_hash, hash)
  SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_by_action ON audit_log(action);
CREATE INDEX audit_by_subject ON audit_log(subject);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
