// Opening balances: once per card ever, bad rows reported, the rest credited.
#include "app/opening_balances.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/ledger.hpp"

namespace bookstamp {
namespace {

TEST(OpeningBalances, CreditsOncePerCardAndReportsBadRows) {
  testing::Library lib;
  lib.AddCard("C1");
  lib.AddCard("C2");
  auto rows = ParseOpeningCsv("\xEF\xBB\xBF" "card,points\r\nC1,12\r\nC2,x\r\nNOPE,3\r\nC2,5\r\n", "b.csv");
  ASSERT_EQ(rows.size(), 4u);
  auto first = lib.Do([&](SqlTx& tx) { return ImportOpeningBalances(tx, lib.env(), lib.actor(), rows, "b.csv"); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->credited, 2);
  EXPECT_EQ(first->points, 17);
  ASSERT_EQ(first->problems.size(), 2u);
  EXPECT_EQ(first->problems[0].substr(0, 11), "b.csv line ");
  auto again = lib.Do([&](SqlTx& tx) { return ImportOpeningBalances(tx, lib.env(), lib.actor(), rows, "b.csv"); });
  ASSERT_TRUE(again);
  EXPECT_EQ(again->credited, 0);
  EXPECT_EQ(again->already, 2);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; }), 12);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).lifetime_earned; }), 0);
  EXPECT_TRUE(lib.Read([](SqlTx& tx) { return VerifyLedger(tx); }).ok);
}

}  // namespace
}  // namespace bookstamp
