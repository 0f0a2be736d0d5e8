// Circulation use cases on a real SQLite file: what is saved, trapped, credited and audited.
#include "app/circulation.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "app/app_test_support.hpp"
#include "app/audit.hpp"
#include "app/cards.hpp"
#include "app/ledger.hpp"

namespace bookstamp {
namespace {

using testing::Library;

class CirculationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddBranch("B");
    lib.AddCard("C1");
    lib.AddCard("C2");
    lib.AddCard("C3");
    bib = lib.AddBib("小王子", {{"I1", "A"}, {"I2", "A"}});
  }
  Library lib;
  BibId bib;
};

TEST_F(CirculationTest, CheckoutSavesLoanDueAfterLoanDaysAndCreditsPoint) {
  auto r = lib.Checkout("C1", "I1", "A");
  ASSERT_TRUE(r) << ToString(r.error().code);
  EXPECT_EQ(FormatDate(r->loan.due_on), "2026-03-30");
  EXPECT_EQ(r->loan.title, "小王子");
  EXPECT_EQ(r->points.credited, 1);
  EXPECT_EQ(r->points.reason, std::nullopt);
  EXPECT_EQ(r->points.balance, 1);
  auto loans = lib.Read([&](SqlTx& tx) { return CardLoans(tx, lib.env(), CardNumber("C1")); });
  ASSERT_EQ(loans.size(), 1u);
  EXPECT_EQ(loans[0].item_barcode.value(), "I1");
}

TEST_F(CirculationTest, SecondCheckoutOfSameItemIsRefused) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  auto r = lib.Checkout("C2", "I1", "A");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kItemOnLoan);
}

TEST_F(CirculationTest, ConcurrentCheckoutsOfOneItemMakeOneLoan) {
  std::atomic<int> ok{0}, on_loan{0};
  std::vector<std::thread> threads;
  for (int i = 1; i <= 3; ++i)
    threads.emplace_back([&, i] {
      auto r = lib.Checkout("C" + std::to_string(i), "I1", "A");
      if (r) ++ok;
      else if (r.error().code == ErrorCode::kItemOnLoan) ++on_loan;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(on_loan.load(), 2);
}

TEST_F(CirculationTest, LateReturnAddsSuspensionPerItem) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  ASSERT_TRUE(lib.Checkout("C1", "I2", "A"));
  lib.SetNow("2026-04-04T10:00:00+08:00");  // due 03-30: 5 days overdue
  auto first = lib.Checkin("I1", "A");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->overdue_days, 5);
  EXPECT_EQ(first->suspension_days_added, 5);
  ASSERT_TRUE(lib.Checkin("I2", "A"));
  auto status = lib.Read([&](SqlTx& tx) { return CardStatusOf(tx, lib.env(), CardNumber("C1")); });
  ASSERT_TRUE(status);
  EXPECT_EQ(status->standing.suspension_days_left, 10);
  EXPECT_EQ(FormatDate(*status->standing.borrow_resumes_on), "2026-04-14");
  auto refused = lib.Checkout("C1", "I1", "A");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kBorrowSuspended);
}

TEST_F(CirculationTest, CheckinTrapsCopyForFirstHoldAtPickupBranch) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  ASSERT_TRUE(lib.Checkout("C1", "I2", "A"));
  auto h2 = lib.Hold("C2", bib, "A");
  ASSERT_TRUE(h2);
  EXPECT_EQ(h2->queue_position, 1);
  auto h3 = lib.Hold("C3", bib, "B");
  ASSERT_TRUE(h3);
  EXPECT_EQ(h3->queue_position, 2);
  auto in = lib.Checkin("I1", "A");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->item_status, "on_hold_shelf");
  ASSERT_TRUE(in->hold);
  EXPECT_EQ(in->hold->id, h2->id);
  EXPECT_EQ(FormatDate(*in->hold->pickup_by), "2026-03-09");
  // The next copy goes to C3, whose pickup branch is B: in transit until checked in there.
  auto in2 = lib.Checkin("I2", "A");
  ASSERT_TRUE(in2);
  EXPECT_EQ(in2->item_status, "in_transit");
  auto arrived = lib.Checkin("I2", "B");
  ASSERT_TRUE(arrived);
  EXPECT_EQ(arrived->item_status, "on_hold_shelf");
  auto other = lib.Checkout("C1", "I1", "A");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kItemHeldForAnother);
  auto mine = lib.Checkout("C2", "I1", "A");
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->hold_fulfilled, h2->id);
}

TEST_F(CirculationTest, ExpiredReadyHoldPassesCopyOnAndCountsNoShow) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  ASSERT_TRUE(lib.Checkout("C1", "I2", "A"));
  ASSERT_TRUE(lib.Hold("C2", bib, "A"));
  ASSERT_TRUE(lib.Hold("C3", bib, "A"));
  ASSERT_TRUE(lib.Checkin("I1", "A"));  // ready for C2 until 03-09
  lib.SetNow("2026-03-10T09:00:00+08:00");
  auto holds = lib.Read([&](SqlTx& tx) { return CardHolds(tx, lib.env(), CardNumber("C2")); });
  ASSERT_EQ(holds.size(), 1u);
  EXPECT_EQ(holds[0].status, HoldStatus::kExpired);  // read as expired before the sweeper
  int expired = 0;
  lib.Write([&](SqlTx& tx) { expired = ExpireReadyHolds(tx, lib.env()); });
  EXPECT_EQ(expired, 1);
  auto c3 = lib.Read([&](SqlTx& tx) { return CardHolds(tx, lib.env(), CardNumber("C3")); });
  ASSERT_EQ(c3.size(), 1u);
  EXPECT_EQ(c3[0].status, HoldStatus::kReady);
  EXPECT_EQ(FormatDate(*c3[0].pickup_by), "2026-03-17");
}

TEST_F(CirculationTest, ThirdNoShowSuspendsReserving) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  std::vector<std::string> days = {"2026-03-10", "2026-04-10", "2026-05-10"};
  for (const auto& day : days) {
    lib.SetNow(day + "T10:00:00+08:00");
    ASSERT_TRUE(lib.Hold("C2", bib, "A"));
    ASSERT_TRUE(lib.Checkin("I1", "A"));  // ready, pickup by day + 7
    lib.SetNow(day.substr(0, 8) + "20T10:00:00+08:00");
    lib.Write([&](SqlTx& tx) { ExpireReadyHolds(tx, lib.env()); });
    ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));  // back on loan for the next round
  }
  auto status = lib.Read([&](SqlTx& tx) { return CardStatusOf(tx, lib.env(), CardNumber("C2")); });
  ASSERT_TRUE(status);
  ASSERT_TRUE(status->standing.reserve_resumes_on);
  EXPECT_EQ(FormatDate(*status->standing.reserve_resumes_on), "2026-06-17");  // 05-17 + 31
  auto refused = lib.Hold("C2", bib, "A");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kReserveSuspended);
}

TEST_F(CirculationTest, SameTitleSameDayEarnsOnce) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  ASSERT_TRUE(lib.Checkin("I1", "A"));
  auto again = lib.Checkout("C1", "I2", "A");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->points.credited, 0);
  EXPECT_EQ(again->points.reason, ErrorCode::kSameTitleToday);
  EXPECT_EQ(again->points.balance, 1);
}

// Erasing the history takes the day's titles away from the loans; the rule still remembers them
// until the day is over, then forgets them (the sweeper).
TEST_F(CirculationTest, ErasingTheHistoryDoesNotLetATitleEarnTwiceInADay) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  ASSERT_TRUE(lib.Checkin("I1", "A"));
  std::int64_t n = -1;
  lib.Write([&](SqlTx& tx) { n = EraseHistory(tx, lib.env(), CardNumber("C1")); });
  EXPECT_EQ(n, 1);
  auto again = lib.Checkout("C1", "I1", "A");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->points.credited, 0);
  EXPECT_EQ(again->points.reason, ErrorCode::kSameTitleToday);
  EXPECT_EQ(again->points.balance, 1);
  auto kept = [&] {
    return lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM erased_titles_today")->Int(0); });
  };
  EXPECT_EQ(kept(), 1);
  lib.Write([&](SqlTx& tx) { n = ForgetErasedTitlesBefore(tx, lib.env().Today()); });
  EXPECT_EQ(n, 0);
  lib.SetNow("2026-03-03T09:00:00+08:00");  // the next day
  lib.Write([&](SqlTx& tx) { n = ForgetErasedTitlesBefore(tx, lib.env().Today()); });
  EXPECT_EQ(n, 1);
  EXPECT_EQ(kept(), 0);
  ASSERT_TRUE(lib.Checkin("I1", "A"));
  auto next_day = lib.Checkout("C1", "I2", "A");
  ASSERT_TRUE(next_day);
  EXPECT_EQ(next_day->points.credited, 1);
}

TEST_F(CirculationTest, GroupCardBorrowsWithoutPoints) {
  lib.AddCard("G1", CardType::kGroup);
  auto r = lib.Checkout("G1", "I1", "A");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->points.credited, 0);
  EXPECT_EQ(r->points.reason, ErrorCode::kCardTypeNoPoints);
  EXPECT_EQ(FormatDate(r->loan.due_on), "2026-05-01");  // group: 60 days
}

TEST_F(CirculationTest, MobileCheckoutNeedsServiceAndItemAtBranch) {
  auto off = lib.Checkout("C1", "I1", "A", Channel::kMobile);
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code, ErrorCode::kMobileCheckoutDisabled);
  lib.AddBranch("M", true);
  auto elsewhere = lib.Checkout("C1", "I1", "M", Channel::kMobile);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kItemNotAtBranch);
}

TEST_F(CirculationTest, RefusalLeavesNothingBehind) {
  auto before = lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM audit_log")->Int(0); });
  auto r = lib.Checkout("NOPE", "I1", "A");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCardNotFound);
  auto after = lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM audit_log")->Int(0); });
  EXPECT_EQ(before, after);
}

TEST_F(CirculationTest, EveryCheckoutIsAuditedAndChainVerifies) {
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  ASSERT_TRUE(lib.Checkin("I1", "B"));
  auto v = lib.Read([](SqlTx& tx) { return VerifyAudit(tx); });
  EXPECT_TRUE(v.ok) << v.reason;
  auto actions = lib.Read([](SqlTx& tx) {
    std::vector<std::string> out;
    for (const auto& r : tx.Query("SELECT action FROM audit_log ORDER BY seq")) out.push_back(r.Text(0));
    return out;
  });
  EXPECT_NE(std::find(actions.begin(), actions.end(), "circulation.checkout"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "ledger.append"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "circulation.checkin"), actions.end());
  auto lv = lib.Read([](SqlTx& tx) { return VerifyLedger(tx); });
  EXPECT_TRUE(lv.ok) << lv.reason;
}

}  // namespace
}  // namespace bookstamp
