// Clocks and the library's time zone (howard hinnant date/tz over the system tzdb).
#include "app/ports/clock.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <regex>
#include <stdexcept>

namespace bookstamp {

Instant TestClock::Now() const {
  auto fixed = fixed_ms_.load();
  if (fixed != kUnset) return FromMillis(fixed);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

void TestClock::Set(Instant t) { fixed_ms_.store(ToMillis(t)); }

namespace {
const date::time_zone* Zone(const void* z) { return static_cast<const date::time_zone*>(z); }
}  // namespace

TimeZone::TimeZone(const std::string& name) : name_(name) {
  try {
    zone_ = date::locate_zone(name);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("unknown time zone '{}': {}", name, e.what()));
  }
}

Date TimeZone::LocalDay(Instant t) const {
  auto local = Zone(zone_)->to_local(t);
  return Date(std::chrono::floor<std::chrono::days>(local.time_since_epoch()));
}

Instant TimeZone::StartOfDay(Date d) const {
  date::local_days ld{d.time_since_epoch()};
  auto sys = Zone(zone_)->to_sys(date::local_time<std::chrono::milliseconds>(ld), date::choose::earliest);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(sys);
}

std::string TimeZone::Rfc3339(Instant t) const {
  auto info = Zone(zone_)->get_info(std::chrono::time_point_cast<std::chrono::seconds>(t));
  auto local = std::chrono::time_point_cast<std::chrono::seconds>(t) + info.offset;
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss hms(local - day);
  auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), sign, off / 60, off % 60);
}

std::optional<Instant> ParseRfc3339(const std::string& text) {
  static const std::regex re(
      R"(^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$)");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return std::nullopt;
  auto day = ParseDate(m[1].str() + "-" + m[2].str() + "-" + m[3].str());
  if (!day) return std::nullopt;
  int h = std::stoi(m[4].str()), mi = std::stoi(m[5].str()), s = std::stoi(m[6].str());
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::int64_t ms = 0;
  if (m[7].matched) {
    auto frac = m[7].str().substr(1);
    frac.resize(3, '0');
    ms = std::stoi(frac.substr(0, 3));
  }
  std::int64_t offset_min = 0;
  auto tz = m[8].str();
  if (tz != "Z" && tz != "z") {
    int oh = std::stoi(tz.substr(1, 2)), om = std::stoi(tz.substr(4, 2));
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = (oh * 60 + om) * (tz[0] == '-' ? -1 : 1);
  }
  auto t = std::chrono::time_point_cast<std::chrono::milliseconds>(*day) + std::chrono::hours(h) +
           std::chrono::minutes(mi) + std::chrono::seconds(s) + std::chrono::milliseconds(ms) -
           std::chrono::minutes(offset_min);
  return t;
}

}  // namespace bookstamp
