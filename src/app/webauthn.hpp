// WebAuthn (W3C Web Authentication Level 2) checks with OpenSSL: authenticator data, COSE keys,
// attestation objects ("none", "packed") and assertion signatures. Pure: no store, no clock.
// The use cases around them (challenges, stored credentials) are in app/passkeys.hpp.
#pragma once
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstamp::webauthn {

inline constexpr int kEs256 = -7;
inline constexpr int kRs256 = -257;
inline constexpr std::uint8_t kFlagUserPresent = 0x01;
inline constexpr std::uint8_t kFlagUserVerified = 0x04;
inline constexpr std::uint8_t kFlagAttestedData = 0x40;
inline constexpr std::uint8_t kFlagExtensions = 0x80;
inline constexpr std::size_t kMaxCredentialIdBytes = 1023;

// Who we are to the browser: the RP ID (a host name) and the page origins allowed to ask.
struct RelyingParty {
  std::string id;
  std::vector<std::string> origins;
};

// The members of clientDataJSON that are checked (parsed by the caller; the raw bytes are hashed).
struct ClientData {
  std::string type;       // "webauthn.create" or "webauthn.get"
  std::string challenge;  // base64url, as sent
  std::string origin;
  bool cross_origin = false;
};

struct AuthData {
  std::string rp_id_hash;  // 32 bytes
  std::uint8_t flags = 0;
  std::uint32_t sign_count = 0;
  // Present with kFlagAttestedData:
  std::string credential_id;
  std::string cose_key;  // the CBOR bytes
};

// nullopt when truncated, with trailing bytes, or a malformed COSE key or extensions.
std::optional<AuthData> ParseAuthData(std::string_view bytes);

struct PublicKey {
  int algorithm = kEs256;
  std::string spki_der;  // SubjectPublicKeyInfo
};

// EC2 P-256 with ES256, or RSA (>= 2048 bits) with RS256; nullopt for anything else or a point
// off the curve.
std::optional<PublicKey> PublicKeyFromCose(std::string_view cose);

// The signature over `message` with SHA-256 (ECDSA DER, or RSASSA-PKCS1-v1_5).
bool VerifySignature(const PublicKey& key, std::string_view message, std::string_view signature);

// A refusal's reason, a short word for logs and the error body ("origin", "rp_id", "signature").
using Reason = std::string;

struct NewCredential {
  std::string credential_id;  // raw bytes
  PublicKey key;
  std::uint32_t sign_count = 0;
  std::uint8_t flags = 0;
};

// navigator.credentials.create(): type, challenge (base64url text equal to `challenge`), origin,
// attestation format ("none", or "packed" with a valid signature), RP ID hash, UP and AT flags,
// and a supported key.
std::expected<NewCredential, Reason> VerifyRegistration(const RelyingParty& rp, const std::string& challenge,
                                                        const ClientData& client, std::string_view client_data_json,
                                                        std::string_view attestation_object);

// navigator.credentials.get(): type, challenge, origin, RP ID hash, UP flag, and the signature over
// authenticatorData || SHA-256(clientDataJSON). Returns the authenticator data (its counter is
// judged by the caller with CounterAdvances).
std::expected<AuthData, Reason> VerifyAssertion(const RelyingParty& rp, const std::string& challenge,
                                                const ClientData& client, std::string_view client_data_json,
                                                std::string_view authenticator_data, std::string_view signature,
                                                const PublicKey& key);

// A signature counter may stay 0 on both sides (authenticators without one); otherwise it must grow.
bool CounterAdvances(std::uint32_t stored, std::uint32_t received);

}  // namespace bookstamp::webauthn
