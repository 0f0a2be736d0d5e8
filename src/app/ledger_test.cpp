// The ledger's invariants are the database's: unique source keys, balance chain, no negative balance,
// append-only; and verification finds a tampered balance.
#include "app/ledger.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"

namespace bookstamp {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddCard("C1");
    bib = lib.AddBib("書", {{"I1", "A"}});
    ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));  // balance 1 from loan 1
  }
  testing::Library lib;
  BibId bib;
};

TEST_F(LedgerTest, ReplayingASourceKeyNeverCreditsTwice) {
  EXPECT_THROW(lib.Write([&](SqlTx& tx) {
    (void)AppendLedger(tx, lib.env(), lib.actor(), {CardNumber("C1"), LedgerKind::kLoan, 1, "loan:1", {}, LoanId(1), {}});
  }),
               ConstraintViolation);
  auto b = lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")); });
  EXPECT_EQ(b.balance, 1);
}

TEST_F(LedgerTest, DebitBeyondBalanceIsRefused) {
  auto r = lib.Do([&](SqlTx& tx) {
    return AppendLedger(tx, lib.env(), lib.actor(), {CardNumber("C1"), LedgerKind::kRedemption, -2, "redemption:1"});
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInsufficientPoints);
  EXPECT_EQ(*r.error().Arg("available"), "1");
}

TEST_F(LedgerTest, DatabaseRefusesNegativeBalanceAndBrokenChain) {
  // Straight SQL, bypassing the C++ checks: the constraints and triggers still hold.
  EXPECT_THROW(lib.Write([](SqlTx& tx) {
    tx.Exec("INSERT INTO ledger(card, at, day, kind, delta, balance_after, source_key) VALUES "
            "('C1', 0, '2026-03-02', 'redemption', -5, -4, 'x')");
  }),
               ConstraintViolation);
  EXPECT_THROW(lib.Write([](SqlTx& tx) {
    tx.Exec("INSERT INTO ledger(card, at, day, kind, delta, balance_after, source_key, loan_id) VALUES "
            "('C1', 0, '2026-03-02', 'event', 1, 7, 'event:1:C1', NULL)");
  }),
               ConstraintViolation);
  EXPECT_THROW(lib.Write([](SqlTx& tx) { tx.Exec("UPDATE ledger SET delta = 5"); }), ConstraintViolation);
  EXPECT_THROW(lib.Write([](SqlTx& tx) { tx.Exec("DELETE FROM ledger"); }), ConstraintViolation);
  EXPECT_THROW(lib.Write([](SqlTx& tx) { tx.Exec("UPDATE point_balances SET balance = 100"); }), ConstraintViolation);
}

TEST_F(LedgerTest, VerifyFindsBalanceThatDoesNotMatchEntries) {
  EXPECT_TRUE(lib.Read([](SqlTx& tx) { return VerifyLedger(tx); }).ok);
  lib.Write([](SqlTx& tx) {
    tx.Exec("DROP TRIGGER point_balances_follow_ledger");
    tx.Exec("UPDATE point_balances SET balance = 50 WHERE card = 'C1'");
  });
  auto v = lib.Read([](SqlTx& tx) { return VerifyLedger(tx); });
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_card, "C1");
}

TEST_F(LedgerTest, PassbookSumsEarnedAndShowsTitle) {
  auto p = lib.Read([&](SqlTx& tx) {
    return PassbookFor(tx, CardNumber("C1"), *ParseDate("2026-03-01"), *ParseDate("2026-03-31"));
  });
  EXPECT_EQ(p.earned, 1);
  EXPECT_EQ(p.spent, 0);
  ASSERT_EQ(p.entries.size(), 1u);
  EXPECT_EQ(p.entries[0].title, "書");
}

}  // namespace
}  // namespace bookstamp
