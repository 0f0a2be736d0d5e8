// Passkeys (PRODUCT.md P11): registering a WebAuthn credential for a card after a card + PIN login,
// listing and removing them, and logging in with one. Verification is in app/webauthn.hpp; this
// file owns the challenges (32 random bytes, 5 minutes, one use) and the stored credentials.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "app/sessions.hpp"
#include "app/webauthn.hpp"

namespace bookstamp {

inline constexpr auto kPasskeyChallengeTtl = std::chrono::minutes(5);
inline constexpr int kMaxPasskeysPerCard = 10;
inline constexpr std::size_t kMaxPasskeyNameLength = 64;

// A credential as the browser names it: base64url id and transports ("internal", "usb", ...).
struct PasskeyDescriptor {
  std::string id;
  std::vector<std::string> transports;
};

struct PasskeyView {
  std::int64_t id = 0;
  std::string credential_id;  // base64url
  std::string name;
  std::vector<std::string> transports;
  Instant created_at;
  std::optional<Instant> last_used_at;
  bool flagged = false;  // its signature counter went backwards: refused until removed
};

struct PasskeyRegistrationOptions {
  std::string challenge;    // base64url
  std::string user_handle;  // base64url, the card's opaque WebAuthn user.id
  std::string user_name;    // the card number
  std::string display_name; // the holder's name
  std::vector<PasskeyDescriptor> exclude;  // the card's passkeys
};

// CARD_NOT_FOUND unless the card is the account's; LIMIT_REACHED at kMaxPasskeysPerCard.
[[nodiscard]] Result<PasskeyRegistrationOptions> BeginPasskeyRegistration(SqlTx& tx, const Env& env,
                                                                          AccountId account,
                                                                          const CardNumber& card);

struct NewPasskey {
  webauthn::ClientData client;
  std::string client_data_json;    // raw bytes
  std::string attestation_object;  // raw bytes
  std::string name;                // may be empty: "通行金鑰 N"
  std::vector<std::string> transports;
};

// Checks the browser's answer to a registration challenge of this card and stores the passkey.
// CHALLENGE_EXPIRED (unknown, used, expired or another card's), PASSKEY_INVALID with a reason,
// ALREADY_EXISTS for a credential registered before. The challenge is spent whatever the outcome:
// the caller commits either way.
[[nodiscard]] Result<PasskeyView> RegisterPasskey(SqlTx& tx, const Env& env, const webauthn::RelyingParty& rp,
                                                  AccountId account, const CardNumber& card, const NewPasskey& in);

[[nodiscard]] Result<std::vector<PasskeyView>> ListPasskeys(SqlTx& tx, AccountId account, const CardNumber& card);
// NOT_FOUND unless the passkey is the card's.
[[nodiscard]] Result<void> RemovePasskey(SqlTx& tx, const Env& env, AccountId account, const CardNumber& card,
                                         std::int64_t id);

struct PasskeyLoginOptions {
  std::string challenge;  // base64url
  std::vector<PasskeyDescriptor> allow;  // empty: any discoverable credential
};

// With a card: the challenge is bound to it and its passkeys are listed (an unknown card gets an
// empty list, so numbers cannot be probed).
PasskeyLoginOptions BeginPasskeyLogin(SqlTx& tx, const Env& env, const std::optional<CardNumber>& card);

struct PasskeyAssertion {
  std::string credential_id;  // base64url
  webauthn::ClientData client;
  std::string client_data_json;    // raw bytes
  std::string authenticator_data;  // raw bytes
  std::string signature;           // raw bytes
  std::string user_handle;         // base64url; may be empty
};

// Logs in with a passkey: rate limits as the PIN login does (RATE_LIMITED), checks the challenge
// (CHALLENGE_EXPIRED), the credential, the signature and the counter (PASSKEY_INVALID; a counter
// going backwards also flags the credential), then opens the same session as OpenPatronSession.
// Failures are recorded as login failures. The caller commits whatever the outcome.
[[nodiscard]] Result<PatronSession> LoginWithPasskey(SqlTx& tx, const Env& env, const webauthn::RelyingParty& rp,
                                                     const PasskeyAssertion& in, const std::string& ip);

}  // namespace bookstamp
