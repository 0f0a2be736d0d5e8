// Days and instants. A Date is a calendar day in the library's time zone; an Instant is UTC.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bookstamp {

using Date = std::chrono::sys_days;
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
using Days = std::chrono::days;

// "2026-11-29" <-> Date; nullopt for anything that is not a real calendar day.
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);

// Milliseconds since the Unix epoch, as stored.
inline std::int64_t ToMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromMillis(std::int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

}  // namespace bookstamp
