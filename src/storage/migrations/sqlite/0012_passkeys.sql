-- Passkeys (PRODUCT.md P11, WebAuthn): credentials per card and one-time challenges.
-- The WebAuthn user.id of a card: random, so it tells nothing about the card.
CREATE TABLE passkey_users (
  card        TEXT PRIMARY KEY REFERENCES cards(number),
  user_handle TEXT NOT NULL UNIQUE    -- base64url of 16 random bytes
);

CREATE TABLE passkeys (
  id            INTEGER PRIMARY KEY,
  card          TEXT NOT NULL REFERENCES cards(number),
  credential_id TEXT NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 1 AND 1400),  -- base64url
  public_key    TEXT NOT NULL,        -- SubjectPublicKeyInfo DER, base64url
  algorithm     INTEGER NOT NULL CHECK (algorithm IN (-7, -257)),   -- COSE: ES256, RS256
  sign_count    INTEGER NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
  transports    TEXT NOT NULL DEFAULT '',   -- comma-separated, as the browser reported
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  flagged_at    INTEGER,              -- its counter went backwards (a possible clone): refused from then on
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
);
CREATE INDEX passkeys_by_card ON passkeys(card);

-- A challenge is good for 5 minutes and one verification.
CREATE TABLE passkey_challenges (
  challenge  TEXT PRIMARY KEY,        -- base64url of 32 random bytes
  purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'login')),
  card       TEXT REFERENCES cards(number),   -- register: the card; login: the card asked for, or NULL
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  CHECK (purpose = 'login' OR card IS NOT NULL)
);
CREATE INDEX passkey_challenges_by_expiry ON passkey_challenges(expires_at);
