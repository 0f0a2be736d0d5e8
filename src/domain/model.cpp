// Names of the domain enums (as stored and sent), per-type policy lookup and branch calendars (RULES.md).
#include "domain/model.hpp"

#include <array>
#include <chrono>
#include <utility>

namespace bookstamp {
namespace {

constexpr std::array kCardTypeNames{
    std::pair{CardType::kPersonal, std::string_view("personal")},
    std::pair{CardType::kFamily, std::string_view("family")},
    std::pair{CardType::kGroup, std::string_view("group")},
};
constexpr std::array kCardStatusNames{
    std::pair{CardStatus::kActive, std::string_view("active")},
    std::pair{CardStatus::kLost, std::string_view("lost")},
    std::pair{CardStatus::kExpired, std::string_view("expired")},
    std::pair{CardStatus::kBlocked, std::string_view("blocked")},
};
constexpr std::array kChannelNames{
    std::pair{Channel::kCounter, std::string_view("counter")},
    std::pair{Channel::kKiosk, std::string_view("kiosk")},
    std::pair{Channel::kMobile, std::string_view("mobile")},
};
constexpr std::array kHoldStatusNames{
    std::pair{HoldStatus::kWaiting, std::string_view("waiting")},
    std::pair{HoldStatus::kInTransit, std::string_view("in_transit")},
    std::pair{HoldStatus::kReady, std::string_view("ready")},
    std::pair{HoldStatus::kFulfilled, std::string_view("fulfilled")},
    std::pair{HoldStatus::kCancelled, std::string_view("cancelled")},
    std::pair{HoldStatus::kExpired, std::string_view("expired")},
};
constexpr std::array kRoleNames{
    std::pair{Role::kSysadmin, std::string_view("sysadmin")},
    std::pair{Role::kBranchAdmin, std::string_view("branch_admin")},
    std::pair{Role::kCounter, std::string_view("counter")},
    std::pair{Role::kAuditor, std::string_view("auditor")},
};

template <class Table, class E>
std::string_view NameOf(const Table& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";  // only reachable with a value cast from an out-of-range integer
}

template <class Table>
auto ValueOf(const Table& table, std::string_view text) -> std::optional<typename Table::value_type::first_type> {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

// A calendar closed every day has no next open day; the search stops a year out.
constexpr int kMaxDaysAhead = 366;

}  // namespace

std::string_view ToString(CardType v) { return NameOf(kCardTypeNames, v); }
std::string_view ToString(CardStatus v) { return NameOf(kCardStatusNames, v); }
std::string_view ToString(Channel v) { return NameOf(kChannelNames, v); }
std::string_view ToString(HoldStatus v) { return NameOf(kHoldStatusNames, v); }
std::string_view ToString(Role v) { return NameOf(kRoleNames, v); }

std::optional<CardType> CardTypeFromString(std::string_view s) { return ValueOf(kCardTypeNames, s); }
std::optional<CardStatus> CardStatusFromString(std::string_view s) { return ValueOf(kCardStatusNames, s); }
std::optional<Channel> ChannelFromString(std::string_view s) { return ValueOf(kChannelNames, s); }
std::optional<HoldStatus> HoldStatusFromString(std::string_view s) { return ValueOf(kHoldStatusNames, s); }
std::optional<Role> RoleFromString(std::string_view s) { return ValueOf(kRoleNames, s); }

const CardPolicy& LibraryPolicy::For(CardType t) const {
  switch (t) {
    case CardType::kPersonal: return personal;
    case CardType::kFamily: return family;
    case CardType::kGroup: return group;
  }
  return personal;  // unreachable for a valid CardType
}

bool BranchCalendar::IsOpen(Date d) const {
  const unsigned weekday = std::chrono::weekday(d).c_encoding();  // 0 = Sunday
  return !closed_weekdays.contains(weekday) && !holidays.contains(d);
}

Date BranchCalendar::NextOpenDay(Date d) const {
  for (int i = 0; i <= kMaxDaysAhead; ++i) {
    const Date candidate = d + Days(i);
    if (IsOpen(candidate)) return candidate;
  }
  return d;  // never open (a misconfigured calendar): leave the day as it is
}

}  // namespace bookstamp
