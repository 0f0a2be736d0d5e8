// Rotating code arithmetic.
#include "app/codes.hpp"

#include <fmt/format.h>

#include "app/crypto.hpp"

namespace bookstamp {

std::string Otp(const std::string& key, std::int64_t step) {
  std::string msg(8, '\0');
  auto u = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i, u >>= 8) msg[i] = static_cast<char>(u & 0xFF);
  auto mac = crypto::HmacSha256(key, msg);
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(mac[i]);
  return fmt::format("{:08}", v % 100000000u);
}

std::string RedemptionCode(RedemptionId id, const std::string& key, std::int64_t step) {
  return fmt::format("R{}-{}", id.value(), Otp(key, step));
}

std::string EventToken(EventId id, const std::string& key, std::int64_t step) {
  return fmt::format("E{}-{}", id.value(), Otp(key, step));
}

std::optional<ParsedCode> ParseCode(const std::string& code, char prefix) {
  auto dash = code.find('-');
  if (code.size() < 3 || code[0] != prefix || dash == std::string::npos || dash < 2 || dash > 19) return std::nullopt;
  ParsedCode p;
  for (std::size_t i = 1; i < dash; ++i) {
    if (code[i] < '0' || code[i] > '9') return std::nullopt;
    p.id = p.id * 10 + (code[i] - '0');
  }
  p.otp = code.substr(dash + 1);
  if (p.otp.size() != 8 || p.otp.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  if (p.id <= 0) return std::nullopt;
  return p;
}

bool OtpMatches(const std::string& key, std::int64_t step, const std::string& otp) {
  bool now = crypto::ConstantTimeEquals(Otp(key, step), otp);
  bool previous = step > 0 && crypto::ConstantTimeEquals(Otp(key, step - 1), otp);
  return now || previous;
}

Instant StepEnds(Instant origin, std::int64_t step) {
  return origin + std::chrono::duration_cast<std::chrono::milliseconds>(kCodeStep) * (step + 1);
}

}  // namespace bookstamp
