// Rotating codes (RULES.md "The code"): the redemption code the counter scans and the event's
// attendance token. otp(key, n) = first 4 bytes of HMAC-SHA-256(key, n as 8-byte big-endian), read
// big-endian, mod 10^8, zero-padded to 8 digits; n = floor((now − origin) / 30 s).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "domain/passbook.hpp"

namespace bookstamp {

std::string Otp(const std::string& key, std::int64_t step);

// "R<id>-<otp>" for redemptions, "E<id>-<otp>" for events.
std::string RedemptionCode(RedemptionId id, const std::string& key, std::int64_t step);
std::string EventToken(EventId id, const std::string& key, std::int64_t step);

struct ParsedCode {
  std::int64_t id = 0;
  std::string otp;
};
// Nullopt for anything that is not `<prefix><digits>-<8 digits>`.
std::optional<ParsedCode> ParseCode(const std::string& code, char prefix);

// True when `otp` is the code of step n or n − 1 (constant-time compare).
bool OtpMatches(const std::string& key, std::int64_t step, const std::string& otp);

// The instant the code of `step` gives way to the next one.
Instant StepEnds(Instant origin, std::int64_t step);

}  // namespace bookstamp
