// The one source of time. RealClock in production; TestClock (settable) behind --test-clock.
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "domain/time.hpp"

namespace bookstamp {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class RealClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

// Real time until Set() is called; then stands still at the set time until set again. Thread-safe.
class TestClock final : public Clock {
 public:
  Instant Now() const override;
  void Set(Instant t);

 private:
  std::atomic<std::int64_t> fixed_ms_{kUnset};
  static constexpr std::int64_t kUnset = INT64_MIN;
};

// The library's time zone (IANA name, default Asia/Taipei): local days and RFC 3339 with offset.
class TimeZone {
 public:
  explicit TimeZone(const std::string& name);  // throws std::runtime_error for an unknown zone
  Date LocalDay(Instant t) const;
  // Midnight starting `d`, as an instant.
  Instant StartOfDay(Date d) const;
  // "2026-11-29T14:03:00+08:00"
  std::string Rfc3339(Instant t) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  const void* zone_;  // const date::time_zone*, kept opaque so callers need not include date/tz.h
};

// Parses RFC 3339 ("2026-11-29T14:03:00+08:00", "...Z", fractional seconds allowed).
std::optional<Instant> ParseRfc3339(const std::string& text);

}  // namespace bookstamp
