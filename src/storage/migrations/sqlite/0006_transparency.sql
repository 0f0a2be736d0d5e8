-- Signed checkpoints of the audit log's head (RULES.md "Audit"): anyone who kept an old one can
-- detect a rewritten history.
CREATE TABLE audit_checkpoints (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,       -- RFC 3339, the signed time
  seq        INTEGER NOT NULL,
  hash       TEXT NOT NULL,
  public_key TEXT NOT NULL,       -- hex Ed25519 public key
  signature  TEXT NOT NULL        -- hex Ed25519 signature of CheckpointMessage()
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
