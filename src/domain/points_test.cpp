// Loan credit rules, table-driven.
#include "domain/points.hpp"

#include <gtest/gtest.h>

namespace bookstamp {
namespace {

struct Row {
  const char* name;
  LoanCreditInput in;
  PointsPolicy policy;
  int points;
  std::optional<ErrorCode> reason;
};

PointsPolicy Caps(int daily, int monthly) {
  PointsPolicy p;
  p.daily_cap = daily;
  p.monthly_cap = monthly;
  return p;
}

PointsPolicy SelfServiceTwo() {
  PointsPolicy p;
  p.per_loan_kiosk = 2;
  p.per_loan_mobile = 2;
  return p;
}

TEST(LoanCredit, FollowsRulesInOrder) {
  const Row rows[] = {
      {"plain loan earns one", {}, {}, 1, std::nullopt},
      {"group card earns nothing", {.card_type_earns = false}, {}, 0, ErrorCode::kCardTypeNoPoints},
      {"group card checked before item type", {.card_type_earns = false, .item_type = "attachment"}, {}, 0,
       ErrorCode::kCardTypeNoPoints},
      {"attachment earns nothing", {.item_type = "attachment"}, {}, 0, ErrorCode::kItemTypeNoPoints},
      {"item type checked before same title", {.item_type = "attachment", .title_credited_today = true}, {}, 0,
       ErrorCode::kItemTypeNoPoints},
      {"same title today", {.title_credited_today = true}, {}, 0, ErrorCode::kSameTitleToday},
      {"same title checked before caps", {.title_credited_today = true, .loan_points_today = 5}, Caps(5, 0), 0,
       ErrorCode::kSameTitleToday},
      {"daily cap reached", {.loan_points_today = 30}, Caps(30, 450), 0, ErrorCode::kDailyCap},
      {"under daily cap", {.loan_points_today = 29}, Caps(30, 450), 1, std::nullopt},
      {"monthly cap reached", {.loan_points_this_month = 450}, Caps(30, 450), 0, ErrorCode::kMonthlyCap},
      {"daily checked before monthly", {.loan_points_today = 30, .loan_points_this_month = 450}, Caps(30, 450), 0,
       ErrorCode::kDailyCap},
      {"no partial credit at the cap", {.loan_points_today = 29, .channel = Channel::kMobile},
       [] { auto p = SelfServiceTwo(); p.daily_cap = 30; return p; }(), 0, ErrorCode::kDailyCap},
      {"zero caps mean none", {.loan_points_today = 10000, .loan_points_this_month = 100000}, Caps(0, 0), 1,
       std::nullopt},
      {"kiosk per channel", {.channel = Channel::kKiosk}, SelfServiceTwo(), 2, std::nullopt},
      {"counter keeps one", {.channel = Channel::kCounter}, SelfServiceTwo(), 1, std::nullopt},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto got = DecideLoanCredit(row.in, row.policy);
    EXPECT_EQ(got.points, row.points);
    EXPECT_EQ(got.reason, row.reason);
  }
}

}  // namespace
}  // namespace bookstamp
