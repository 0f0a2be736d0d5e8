// Hashes, HMAC, random tokens and password hashing (OpenSSL for SHA-2/HMAC, libsodium for argon2id and random).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bookstamp::crypto {

// Call once at start-up (sodium_init); safe to call again.
void Init();

std::string RandomBytes(std::size_t n);
// A random token of `bytes` bytes, base64url without padding.
std::string RandomToken(std::size_t bytes = 32);

std::string Sha256(std::string_view data);      // 32 raw bytes
std::string Sha256Hex(std::string_view data);   // 64 lowercase hex digits
std::string HmacSha256(std::string_view key, std::string_view message);  // 32 raw bytes

std::string Hex(std::string_view bytes);
std::optional<std::string> FromHex(std::string_view hex);
std::string Base64Url(std::string_view bytes);  // no padding
std::optional<std::string> FromBase64Url(std::string_view text);

bool ConstantTimeEquals(std::string_view a, std::string_view b);

// argon2id (m = 19 MiB, t = 2). Slow on purpose (~tens of ms): never call on an I/O thread.
// At most kMaxConcurrentHashes run at once; further callers wait, so a login storm cannot exhaust memory.
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);
inline constexpr int kMaxConcurrentHashes = 4;

}  // namespace bookstamp::crypto
