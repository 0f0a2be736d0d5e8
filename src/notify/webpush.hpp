// Web Push message encryption (RFC 8291, "aes128gcm" of RFC 8188) and VAPID authorization
// (RFC 8292) with OpenSSL 3. Only the cryptography: notify/push_dispatcher.hpp sends with it.
// Keys are raw octets: P-256 public keys uncompressed (65 bytes, 0x04…),
// private keys the 32-byte scalar.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace bookstamp::notify {

struct P256KeyPair {
  std::string private_key;  // 32 bytes
  std::string public_key;   // 65 bytes, uncompressed point
};

// A fresh key pair (the application server's ephemeral key, or the VAPID key).
P256KeyPair GenerateP256KeyPair();

// The RFC 8291 §3.4 body: header (salt, rs 4096, keyid = as_public) and one record. Deterministic
// given the application server's key pair and the salt (the RFC's Appendix A example).
// nullopt when a key is malformed or the plaintext does not fit one record.
std::optional<std::string> EncryptWebPush(std::string_view plaintext, std::string_view ua_public,
                                          std::string_view auth_secret, const P256KeyPair& as_key,
                                          std::string_view salt);
// Same, with a fresh ephemeral key pair and a random 16-byte salt: what a sender uses.
std::optional<std::string> EncryptWebPush(std::string_view plaintext, std::string_view ua_public,
                                          std::string_view auth_secret);

// The RFC 8292 Authorization header value: "vapid t=<ES256 JWT>, k=<base64url public key>".
// `audience` is the push service's origin ("https://push.example.net"), `subject` a contact
// ("mailto:library@example.org"), `expires` Unix seconds (at most 24 h ahead).
std::optional<std::string> VapidAuthorization(const P256KeyPair& vapid_key, std::string_view audience,
                                              std::string_view subject, std::int64_t expires);

// Verifies an ES256 JWS compact serialization against a P-256 public key (for tests and tools).
bool VerifyEs256Jwt(std::string_view jwt, std::string_view public_key);

}  // namespace bookstamp::notify
