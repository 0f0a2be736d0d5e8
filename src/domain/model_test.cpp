// Unit tests of the domain nouns: enum names, policy lookup, branch calendars, dates, error codes.
#include "domain/model.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "domain/error.hpp"

namespace bookstamp {
namespace {

Date D(std::string_view text) {
  auto d = ParseDate(text);
  if (!d) throw std::invalid_argument("bad test date");
  return *d;
}

// Every value of an enum with its stored name: ToString gives the name and the name parses back.
template <class E>
struct NameRow {
  E value;
  std::string_view name;
};

template <class E, class Parse>
void ExpectRoundTrips(const std::vector<NameRow<E>>& rows, Parse parse) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(ToString(row.value), row.name);
    auto back = parse(row.name);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, row.value);
  }
}

TEST(Names, CardTypeRoundTrips) {
  ExpectRoundTrips<CardType>(
      {{CardType::kPersonal, "personal"}, {CardType::kFamily, "family"}, {CardType::kGroup, "group"}},
      CardTypeFromString);
}

TEST(Names, CardStatusRoundTrips) {
  ExpectRoundTrips<CardStatus>({{CardStatus::kActive, "active"},
                                {CardStatus::kLost, "lost"},
                                {CardStatus::kExpired, "expired"},
                                {CardStatus::kBlocked, "blocked"}},
                               CardStatusFromString);
}

TEST(Names, ChannelRoundTrips) {
  ExpectRoundTrips<Channel>(
      {{Channel::kCounter, "counter"}, {Channel::kKiosk, "kiosk"}, {Channel::kMobile, "mobile"}},
      ChannelFromString);
}

TEST(Names, HoldStatusRoundTrips) {
  ExpectRoundTrips<HoldStatus>({{HoldStatus::kWaiting, "waiting"},
                                {HoldStatus::kInTransit, "in_transit"},
                                {HoldStatus::kReady, "ready"},
                                {HoldStatus::kFulfilled, "fulfilled"},
                                {HoldStatus::kCancelled, "cancelled"},
                                {HoldStatus::kExpired, "expired"}},
                               HoldStatusFromString);
}

TEST(Names, RoleRoundTrips) {
  ExpectRoundTrips<Role>({{Role::kSysadmin, "sysadmin"},
                          {Role::kBranchAdmin, "branch_admin"},
                          {Role::kCounter, "counter"},
                          {Role::kAuditor, "auditor"}},
                         RoleFromString);
}

TEST(Names, UnknownNamesAreRefused) {
  for (std::string_view text : {"", "Personal", "PERSONAL", "personal ", "in-transit", "InTransit", "admin",
                                "phone", "branchadmin", "sip2"}) {
    SCOPED_TRACE(testing::Message() << "'" << text << "'");
    EXPECT_FALSE(CardTypeFromString(text));
    EXPECT_FALSE(CardStatusFromString(text));
    EXPECT_FALSE(ChannelFromString(text));
    EXPECT_FALSE(HoldStatusFromString(text));
    EXPECT_FALSE(RoleFromString(text));
  }
}

TEST(Names, ErrorCodesRoundTripAsRulesSpellsThem) {
  struct Row {
    ErrorCode code;
    std::string_view name;
  };
  const std::vector<Row> rows = {
      {ErrorCode::kCardNotFound, "CARD_NOT_FOUND"},
      {ErrorCode::kBorrowSuspended, "BORROW_SUSPENDED"},
      {ErrorCode::kItemHeldForAnother, "ITEM_HELD_FOR_ANOTHER"},
      {ErrorCode::kTitleReserved, "TITLE_RESERVED"},
      {ErrorCode::kHoldLimitReached, "HOLD_LIMIT_REACHED"},
      {ErrorCode::kUnavailable, "UNAVAILABLE"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(ToString(row.code), row.name);
    auto back = ErrorCodeFromString(row.name);
    ASSERT_TRUE(back);
    EXPECT_EQ(ToString(*back), row.name);
  }
  EXPECT_FALSE(ErrorCodeFromString("card_not_found"));
}

// ---------------------------------------------------------------------------------------------
// Policy

TEST(LibraryPolicy, DefaultsFollowRules) {
  struct Row {
    CardType type;
    int max_loans, loan_days, max_renewals, max_holds;
    bool earns_points;
  };
  const std::vector<Row> rows = {
      {CardType::kPersonal, 10, 28, 1, 5, true},
      {CardType::kFamily, 60, 28, 1, 10, true},
      {CardType::kGroup, 500, 60, 1, 10, false},
  };
  const LibraryPolicy policy;
  for (const auto& row : rows) {
    SCOPED_TRACE(ToString(row.type));
    const CardPolicy& p = policy.For(row.type);
    EXPECT_EQ(p.max_loans, row.max_loans);
    EXPECT_EQ(p.loan_days, row.loan_days);
    EXPECT_EQ(p.max_renewals, row.max_renewals);
    EXPECT_EQ(p.max_holds, row.max_holds);
    EXPECT_EQ(p.earns_points, row.earns_points);
  }
  EXPECT_EQ(policy.pickup_days, 7);
  EXPECT_EQ(policy.no_show_limit, 3);
  EXPECT_EQ(policy.no_show_window_days, 365);
  EXPECT_EQ(policy.no_show_suspension_days, 31);
}

TEST(LibraryPolicy, ForReturnsTheConfiguredPolicyOfTheType) {
  LibraryPolicy policy;
  policy.family.max_loans = 40;
  policy.group.loan_days = 90;
  EXPECT_EQ(&policy.For(CardType::kPersonal), &policy.personal);
  EXPECT_EQ(policy.For(CardType::kFamily).max_loans, 40);
  EXPECT_EQ(policy.For(CardType::kGroup).loan_days, 90);
}

// ---------------------------------------------------------------------------------------------
// Branch calendar

TEST(BranchCalendar, IsOpenExceptOnClosedWeekdaysAndHolidays) {
  // 2026-03-08 is a Sunday (weekday 0).
  const BranchCalendar calendar{{0, 1}, {D("2026-03-12")}};
  struct Row {
    std::string_view day;
    bool open;
  };
  const std::vector<Row> rows = {
      {"2026-03-07", true},   // Saturday
      {"2026-03-08", false},  // Sunday, closed weekly
      {"2026-03-09", false},  // Monday, closed weekly
      {"2026-03-10", true},   // Tuesday
      {"2026-03-12", false},  // Thursday holiday
      {"2026-03-19", true},   // the next Thursday is no holiday
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.day);
    EXPECT_EQ(calendar.IsOpen(D(row.day)), row.open);
  }
}

TEST(BranchCalendar, DefaultCalendarIsAlwaysOpen) {
  const BranchCalendar calendar;
  for (int i = 0; i < 7; ++i) {
    const Date day = D("2026-03-08") + Days(i);
    SCOPED_TRACE(FormatDate(day));
    EXPECT_TRUE(calendar.IsOpen(day));
    EXPECT_EQ(FormatDate(calendar.NextOpenDay(day)), FormatDate(day));
  }
}

TEST(BranchCalendar, NextOpenDayIsTheFirstOpenDayOnOrAfter) {
  struct Row {
    std::string name;
    BranchCalendar calendar;
    std::string_view from;
    std::string_view want;
  };
  const std::vector<Row> rows = {
      {"open day itself", {{0}, {}}, "2026-03-10", "2026-03-10"},
      {"closed Sunday to Monday", {{0}, {}}, "2026-03-08", "2026-03-09"},
      {"Saturday over a closed weekend", {{6, 0}, {}}, "2026-03-07", "2026-03-09"},
      {"holiday on the next open day", {{0}, {D("2026-03-09")}}, "2026-03-08", "2026-03-10"},
      {"Lunar New Year week", {{}, {D("2026-02-16"), D("2026-02-17"), D("2026-02-18"), D("2026-02-19")}},
       "2026-02-16", "2026-02-20"},
      {"open only on Saturdays", {{0, 1, 2, 3, 4, 5}, {}}, "2026-03-08", "2026-03-14"},
      {"across a year end", {{}, {D("2026-12-31"), D("2027-01-01")}}, "2026-12-31", "2027-01-02"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(FormatDate(row.calendar.NextOpenDay(D(row.from))), row.want);
  }
}

TEST(BranchCalendar, NeverOpenCalendarLeavesTheDayAsItIs) {
  const BranchCalendar calendar{{0, 1, 2, 3, 4, 5, 6}, {}};
  EXPECT_EQ(FormatDate(calendar.NextOpenDay(D("2026-03-10"))), "2026-03-10");
}

// ---------------------------------------------------------------------------------------------
// Dates

TEST(Dates, ParseAndFormatRoundTrip) {
  for (std::string_view text : {"2026-11-29", "2026-01-01", "2025-12-31", "2024-02-29", "2000-02-29", "1970-01-01",
                                "9999-12-31"}) {
    SCOPED_TRACE(text);
    auto d = ParseDate(text);
    ASSERT_TRUE(d);
    EXPECT_EQ(FormatDate(*d), text);
  }
}

TEST(Dates, ParsedDayCountsFromTheEpoch) {
  EXPECT_EQ(D("1970-01-02").time_since_epoch().count(), 1);
  EXPECT_EQ((D("2026-03-01") - D("2026-02-28")).count(), 1);
  EXPECT_EQ((D("2024-03-01") - D("2024-02-28")).count(), 2);
}

TEST(Dates, RefusesAnythingThatIsNotARealCalendarDay) {
  for (std::string_view text : {"2026-02-30", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01",
                                "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-05", "26-01-05", "2026/01/05",
                                "2026-01-05T00:00", " 2026-01-05", "2026-0a-05", "2026-+1-05", "", "yesterday"}) {
    SCOPED_TRACE(testing::Message() << "'" << text << "'");
    EXPECT_FALSE(ParseDate(text));
  }
}

}  // namespace
}  // namespace bookstamp
