-- Home page content (PRODUCT.md P6, A5): announcements, featured lists of bibs, quick links.
CREATE TABLE announcements (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL CHECK (length(title) > 0),
  body       TEXT NOT NULL DEFAULT '',
  image_url  TEXT,
  link       TEXT,
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER,                 -- NULL: shown until removed
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (ends_at IS NULL OR starts_at < ends_at)
);
CREATE INDEX announcements_by_time ON announcements(starts_at, ends_at);

CREATE TABLE featured_lists (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL CHECK (length(title) > 0),
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The bibs of a list, in order.
CREATE TABLE featured_list_bibs (
  list_id  INTEGER NOT NULL REFERENCES featured_lists(id),
  position INTEGER NOT NULL CHECK (position >= 0),
  bib_id   INTEGER NOT NULL REFERENCES bibs(id),
  PRIMARY KEY (list_id, position)
);
CREATE INDEX featured_list_bibs_by_bib ON featured_list_bibs(bib_id);

CREATE TABLE quick_links (
  id         INTEGER PRIMARY KEY,
  label_zh   TEXT NOT NULL CHECK (length(label_zh) > 0),
  label_en   TEXT NOT NULL DEFAULT '',
  url        TEXT NOT NULL CHECK (length(url) > 0),
  icon       TEXT NOT NULL DEFAULT '',
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
