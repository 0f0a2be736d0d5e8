-- Catalog import and search (docs/catalog.md): the fields MARC import fills, the key that matches a
-- re-imported record, and the change journal the search indexer follows.

ALTER TABLE bibs ADD COLUMN record_key TEXT;  -- "(OCoLC)12345" (MARC 003 + 001), "isbn:978...", "h:<hash>"
ALTER TABLE bibs ADD COLUMN isbns TEXT NOT NULL DEFAULT '';      -- every ISBN of the record, space-separated
ALTER TABLE bibs ADD COLUMN subjects TEXT NOT NULL DEFAULT '';   -- one heading per line
ALTER TABLE bibs ADD COLUMN series TEXT NOT NULL DEFAULT '';     -- one per line
ALTER TABLE bibs ADD COLUMN language TEXT NOT NULL DEFAULT '';   -- MARC language code: chi, eng, ...
ALTER TABLE bibs ADD COLUMN cover_url TEXT;                      -- NULL: the generated placeholder
-- The record in its original script (MARC 880), e.g. 紅樓夢 beside the romanized Hong lou meng.
ALTER TABLE bibs ADD COLUMN title_vernacular TEXT NOT NULL DEFAULT '';
ALTER TABLE bibs ADD COLUMN author_vernacular TEXT NOT NULL DEFAULT '';
ALTER TABLE bibs ADD COLUMN publisher_vernacular TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX bibs_by_record_key ON bibs(record_key) WHERE record_key IS NOT NULL;

-- The change journal, compacted: one row per record ever changed, carrying the sequence number of
-- its latest change. Every insert, update or delete of a bib or an item bumps the row in the same
-- transaction (the triggers below); the indexer applies rows with seq past its position, in order.
-- A row stays after its bib is deleted, so the indexer learns to remove it; the table never grows
-- beyond the number of records, so nothing prunes it.
CREATE TABLE catalog_changes (
  bib_id INTEGER PRIMARY KEY,
  seq    INTEGER NOT NULL UNIQUE
);
-- Records that exist before this migration are journaled once, so a new index picks them up.
INSERT INTO catalog_changes(bib_id, seq) SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM bibs;

CREATE TRIGGER catalog_changes_bib_insert AFTER INSERT ON bibs
BEGIN
  INSERT INTO catalog_changes(bib_id, seq) VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_changes_bib_update AFTER UPDATE ON bibs
BEGIN
  INSERT INTO catalog_changes(bib_id, seq) VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_changes_bib_delete AFTER DELETE ON bibs
BEGIN
  INSERT INTO catalog_changes(bib_id, seq) VALUES (OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_changes_item_insert AFTER INSERT ON items
BEGIN
  INSERT INTO catalog_changes(bib_id, seq) VALUES (NEW.bib_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_changes_item_update AFTER UPDATE ON items
BEGIN
  INSERT INTO catalog_changes(bib_id, seq) VALUES (NEW.bib_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
  -- A copy moved to another record changes that one too.
  INSERT INTO catalog_changes(bib_id, seq)
    SELECT OLD.bib_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes) WHERE OLD.bib_id <> NEW.bib_id
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_changes_item_delete AFTER DELETE ON items
BEGIN
  INSERT INTO catalog_changes(bib_id, seq) VALUES (OLD.bib_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
    ON CONFLICT(bib_id) DO UPDATE SET seq = excluded.seq;
END;
