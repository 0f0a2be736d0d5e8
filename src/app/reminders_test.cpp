// Scheduled reminders (once per occurrence, digest per card and day) and the inbox over notices.
#include "app/reminders.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/events.hpp"
#include "app/inbox.hpp"
#include "app/ledger.hpp"
#include "app/notices.hpp"
#include "app/prizes.hpp"

namespace bookstamp {
namespace {

TEST(OverdueOccurrence, TheDayAfterThenWeekly) {
  const Date due = *ParseDate("2026-03-10");
  struct Row {
    const char* today;
    std::optional<int> occurrence;
  } rows[] = {{"2026-03-09", std::nullopt}, {"2026-03-10", std::nullopt}, {"2026-03-11", 0}, {"2026-03-17", 0},
              {"2026-03-18", 1},            {"2026-03-24", 1},            {"2026-03-25", 2}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.today);
    EXPECT_EQ(OverdueOccurrence(due, *ParseDate(row.today)), row.occurrence);
  }
}

class RemindersTest : public ::testing::Test {
 protected:
  RemindersTest() {
    lib.AddBranch("A");
    lib.AddCard("C1");
    lib.AddCard("C2");
    one = lib.AddBib("小王子", {{"I1", "A"}});
    two = lib.AddBib("夜行觀覽車", {{"I2", "A"}});
    EXPECT_TRUE(lib.Checkout("C1", "I1", "A"));
    EXPECT_TRUE(lib.Checkout("C1", "I2", "A"));
    due = *ParseDate(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT due_on FROM loans LIMIT 1")->Text(0); }));
  }
  void At(Date day) { lib.SetNow(FormatDate(day) + "T08:00:00+08:00"); }
  ReminderCounts Pass() {
    ReminderCounts c;
    lib.Write([&](SqlTx& tx) { c = QueueReminders(tx, lib.env()); });
    return c;
  }
  std::vector<std::string> Kinds() {
    auto rows = lib.Read([](SqlTx& tx) { return tx.Query("SELECT kind FROM notices ORDER BY id"); });
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.Text(0));
    return out;
  }

  testing::Library lib;
  BibId one{0}, two{0};
  Date due;
};

TEST_F(RemindersTest, DueInTwoDaysOnceWithOneDigestMailPerCard) {
  At(due - Days(3));
  EXPECT_EQ(Pass().due_soon, 0);
  At(due - Days(2));
  auto c = Pass();
  EXPECT_EQ(c.due_soon, 2);
  EXPECT_EQ(c.digests, 1);
  EXPECT_EQ(Pass().due_soon, 0) << "once per occurrence";
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"due_soon", "due_soon", "digest"}));
  auto mail = lib.Read([](SqlTx& tx) {
    return tx.Query("SELECT n.kind, d.status FROM deliveries d JOIN notices n ON n.id = d.notice_id ORDER BY n.id");
  });
  EXPECT_EQ(mail[0].Text(1), "skipped");
  EXPECT_EQ(mail[1].Text(1), "skipped");
  EXPECT_EQ(mail[2].Text(1), "pending") << "the digest is the one mail";
  auto payload = lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT payload FROM notices WHERE kind = 'digest'")->Text(0); });
  EXPECT_NE(payload.find("小王子"), std::string::npos);
  EXPECT_NE(payload.find("夜行觀覽車"), std::string::npos);
}

TEST_F(RemindersTest, OverdueTheDayAfterThenWeeklyAndCatchesUpOnceAfterDowntime) {
  At(due);
  EXPECT_EQ(Pass().overdue, 0);
  At(due + Days(1));
  EXPECT_EQ(Pass().overdue, 2);
  for (int d = 2; d <= 7; ++d) {
    At(due + Days(d));
    EXPECT_EQ(Pass().overdue, 0) << "day " << d;
  }
  At(due + Days(8));
  EXPECT_EQ(Pass().overdue, 2);
  // Down for two weeks: the current occurrence is queued once, late.
  At(due + Days(22));
  EXPECT_EQ(Pass().overdue, 2);
  EXPECT_EQ(Pass().overdue, 0);
  EXPECT_EQ(Pass().digests, 0);
}

TEST_F(RemindersTest, HoldPickupEndingTomorrow) {
  EXPECT_TRUE(lib.Checkin("I1", "A"));
  ASSERT_TRUE(lib.Hold("C2", one, "A"));
  EXPECT_TRUE(lib.Checkout("C1", "I1", "A"));  // on loan again
  EXPECT_TRUE(lib.Checkin("I1", "A"));         // trapped for C2's hold
  auto pickup_by = lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT pickup_by FROM holds")->OptText(0); });
  ASSERT_TRUE(pickup_by);
  At(*ParseDate(*pickup_by) - Days(1));
  EXPECT_EQ(Pass().pickup_ending, 1);
  EXPECT_EQ(Pass().pickup_ending, 0);
}

TEST_F(RemindersTest, EventTomorrowToEachRegisteredCardOnceAndAgainIfMoved) {
  At(*ParseDate("2026-03-02"));
  EventInput in;
  in.branch = BranchCode("A");
  in.title = "說故事時間";
  in.starts_at = *ParseRfc3339("2026-03-05T14:00:00+08:00");
  in.ends_at = *ParseRfc3339("2026-03-05T16:00:00+08:00");
  auto ev = lib.Do([&](SqlTx& tx) { return CreateEvent(tx, lib.env(), lib.actor(), in); });
  ASSERT_TRUE(ev);
  const auto id = ev->event.id;
  for (const char* card : {"C1", "C2"})
    ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return RegisterForEvent(tx, lib.env(), lib.actor(), CardNumber(card), id); }));
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return CancelRegistration(tx, lib.env(), lib.actor(), CardNumber("C2"), id); }));
  lib.SetNow("2026-03-03T23:59:00+08:00");
  EXPECT_EQ(Pass().event_tomorrow, 0) << "two days ahead";
  lib.SetNow("2026-03-04T00:00:00+08:00");
  EXPECT_EQ(Pass().event_tomorrow, 1) << "only the card still registered";
  lib.SetNow("2026-03-04T20:00:00+08:00");
  EXPECT_EQ(Pass().event_tomorrow, 0) << "once, also after a restart (the key is in the database)";
  auto payload = lib.Read([](SqlTx& tx) {
    return tx.QueryOne("SELECT payload, card FROM notices WHERE kind = 'event_tomorrow'")->Text(0);
  });
  EXPECT_NE(payload.find("\"starts_at\":\"2026-03-05 14:00\""), std::string::npos) << payload;
  EXPECT_NE(payload.find("說故事時間"), std::string::npos) << payload;
  // Moved a day later: a new occurrence, reminded again on its eve.
  EventPatch later;
  later.starts_at = *ParseRfc3339("2026-03-06T14:00:00+08:00");
  later.ends_at = *ParseRfc3339("2026-03-06T16:00:00+08:00");
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return UpdateEvent(tx, lib.env(), lib.actor(), id, later); }));
  lib.SetNow("2026-03-05T09:00:00+08:00");
  EXPECT_EQ(Pass().event_tomorrow, 1);
}

TEST_F(RemindersTest, AnUnusedRedemptionCodeExpiresInTheSweepRefundsAndTellsThePatronOnce) {
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
    return AppendLedger(tx, lib.env(), lib.actor(), {CardNumber("C1"), LedgerKind::kOpening, 10, "opening:C1"});
  }));
  auto prize = lib.Do([&](SqlTx& tx) {
    PrizeInput in;
    in.branch = BranchCode("A");
    in.name = "拼圖";
    in.cost = 4;
    in.stock = 5;
    return CreatePrize(tx, lib.env(), lib.actor(), in);
  });
  ASSERT_TRUE(prize);
  const auto before = lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; });
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
    return RequestRedemption(tx, lib.env(), lib.actor(), CardNumber("C1"), prize->prize.id);
  }));
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; }), before - 4);
  auto sweep = [&] {
    int n = 0;
    lib.Write([&](SqlTx& tx) { n = ExpireRedemptions(tx, lib.env()); });
    return n;
  };
  EXPECT_EQ(sweep(), 0) << "still valid";
  lib.SetNow("2026-03-02T10:06:00+08:00");
  EXPECT_EQ(sweep(), 1);
  EXPECT_EQ(sweep(), 0);
  auto rows = lib.Read([](SqlTx& tx) { return tx.Query("SELECT payload FROM notices WHERE kind = 'redemption_expired'"); });
  ASSERT_EQ(rows.size(), 1u) << "once";
  EXPECT_NE(rows[0].Text(0).find(fmt::format("\"points_left\":{}", before)), std::string::npos) << rows[0].Text(0);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; }), before) << "refunded";
}

TEST_F(RemindersTest, InboxListsNewestFirstMarksReadAndHidesTheDigest) {
  At(due - Days(2));
  Pass();
  auto list = lib.Read([](SqlTx& tx) { return ListInbox(tx, CardNumber("C1"), 50, std::nullopt); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_GT(list[0].id, list[1].id);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return UnreadCount(tx, CardNumber("C1")); }), 2);
  EXPECT_TRUE(lib.Do([&](SqlTx& tx) { return MarkNoticeRead(tx, lib.env(), CardNumber("C1"), list[0].id); }));
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return UnreadCount(tx, CardNumber("C1")); }), 1);
  auto other = lib.Do([&](SqlTx& tx) { return MarkNoticeRead(tx, lib.env(), CardNumber("C2"), list[0].id); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  std::int64_t marked = 0;
  lib.Write([&](SqlTx& tx) { marked = MarkAllNoticesRead(tx, lib.env(), CardNumber("C1")); });
  EXPECT_GE(marked, 1);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return UnreadCount(tx, CardNumber("C1")); }), 0);
}

TEST_F(RemindersTest, PreferencesAreReplacedAndValidated) {
  EXPECT_TRUE(lib.Do([](SqlTx& tx) {
    return SaveNoticePreferences(tx, CardNumber("C1"), {{"due_soon", "email", false}, {"*", "push", false}});
  }));
  auto prefs = lib.Read([](SqlTx& tx) { return LoadNoticePreferences(tx, CardNumber("C1")); });
  ASSERT_EQ(prefs.size(), 2u);
  auto bad = lib.Do([](SqlTx& tx) { return SaveNoticePreferences(tx, CardNumber("C1"), {{"nope", "email", false}}); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(bad.error().field, "preferences");
  auto badch = lib.Do([](SqlTx& tx) { return SaveNoticePreferences(tx, CardNumber("C1"), {{"due_soon", "fax", true}}); });
  ASSERT_FALSE(badch);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return LoadNoticePreferences(tx, CardNumber("C1")); }).size(), 2u)
      << "a refused save changes nothing";
}

}  // namespace
}  // namespace bookstamp
