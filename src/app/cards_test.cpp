// Card status, replacement with its balance transfer, and the reading history's erasure.
#include "app/cards.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/ledger.hpp"

namespace bookstamp {
namespace {

class CardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddCard("C1");
    lib.AddBib("小王子", {{"I1", "A"}});
    ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  }
  testing::Library lib;
};

TEST_F(CardsTest, BlockedCardCannotBorrow) {
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
    return SetCardStatus(tx, lib.env(), lib.actor(), CardNumber("C1"), CardStatus::kBlocked, "unpaid fees");
  }));
  ASSERT_TRUE(lib.Checkin("I1", "A"));
  auto r = lib.Checkout("C1", "I1", "A");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCardNotActive);
}

TEST_F(CardsTest, ReplacementMovesBalanceOnceAndMarksOldCardLost) {
  auto r = lib.Do([&](SqlTx& tx) {
    return ReplaceCard(tx, lib.env(), lib.actor(), CardNumber("C1"), CardNumber("C1B"), "hash");
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->points_moved, 1);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; }), 0);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1B")).balance; }), 1);
  auto old_status = lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT status FROM cards WHERE number='C1'")->Text(0); });
  EXPECT_EQ(old_status, "lost");
  auto again = lib.Do([&](SqlTx& tx) {
    return ReplaceCard(tx, lib.env(), lib.actor(), CardNumber("C1"), CardNumber("C1B"), "hash");
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(lib.Read([](SqlTx& tx) { return VerifyLedger(tx); }).ok);
}

TEST_F(CardsTest, ErasingHistoryForgetsTitlesButKeepsPoints) {
  ASSERT_TRUE(lib.Checkin("I1", "A"));
  auto before = lib.Read([](SqlTx& tx) { return LoanHistory(tx, CardNumber("C1"), 10, std::nullopt); });
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].title, "小王子");
  lib.Write([&](SqlTx& tx) { SetKeepHistory(tx, lib.env(), CardNumber("C1"), false); });
  auto after = lib.Read([](SqlTx& tx) { return LoanHistory(tx, CardNumber("C1"), 10, std::nullopt); });
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].title, std::nullopt);
  EXPECT_EQ(after[0].bib, std::nullopt);
  auto passbook = lib.Read([&](SqlTx& tx) {
    return PassbookFor(tx, CardNumber("C1"), *ParseDate("2026-03-01"), *ParseDate("2026-03-31"));
  });
  ASSERT_EQ(passbook.entries.size(), 1u);
  EXPECT_EQ(passbook.entries[0].title, std::nullopt);
  EXPECT_EQ(passbook.earned, 1);
}

}  // namespace
}  // namespace bookstamp
