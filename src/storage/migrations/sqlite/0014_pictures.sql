-- Prize pictures (PRODUCT.md A1): the image bytes live in the database, so a backup holds them too.
-- One picture per prize; its SHA-256 is the HTTP ETag and versions the prize's image_url.
CREATE TABLE prize_pictures (
  prize_id     INTEGER PRIMARY KEY REFERENCES prizes(id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes        BLOB NOT NULL CHECK (typeof(bytes) = 'blob' AND length(bytes) BETWEEN 1 AND 2097152),
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  width        INTEGER NOT NULL CHECK (width BETWEEN 1 AND 10000),
  height       INTEGER NOT NULL CHECK (height BETWEEN 1 AND 10000),
  uploaded_at  INTEGER NOT NULL,
  uploaded_by  TEXT NOT NULL
);
