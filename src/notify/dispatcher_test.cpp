// The dispatcher against a real SQLite outbox and a fake mailer: sends once, retries with backoff,
// gives up after ten attempts, takes over a lapsed lease, never sends twice, honours preferences.
#include "notify/dispatcher.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "app/app_test_support.hpp"
#include "app/notices.hpp"
#include "notify/mime.hpp"

namespace bookstamp::notify {
namespace {

using namespace std::chrono_literals;

class FakeMailer final : public Mailer {
 public:
  MailResult Send(const MailMessage& m) override {
    if (during_send) during_send();
    tried.push_back(m);
    if (fail_next > 0) {
      --fail_next;
      return {false, false, "connection refused"};
    }
    if (permanent) return {false, true, "550 no such user"};
    sent.push_back(m);
    return {true, false, "250 ok"};
  }
  std::vector<MailMessage> tried, sent;
  int fail_next = 0;
  bool permanent = false;
  std::function<void()> during_send;
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    lib.AddCard("C1");
    lib.Write([](SqlTx& tx) { tx.Exec("UPDATE patrons SET email = 'reader@example.org'"); });
  }
  DispatcherOptions Options() {
    DispatcherOptions o;
    o.server_key = "key";
    o.message_id_domain = "lib.example";
    return o;
  }
  void Queue(const std::string& kind = "redemption_done") {
    lib.Write([&](SqlTx& tx) {
      QueueNotice(tx, lib.env(), CardNumber("C1"), kind,
                  {{"prize", "拼圖"}, {"points_used", 60}, {"points_left", 40}, {"redemption_id", 1}});
    });
  }
  SqlRow Delivery() {
    return lib.Read([](SqlTx& tx) {
      return *tx.QueryOne("SELECT status, attempts, next_attempt_at, message_id, last_error FROM deliveries");
    });
  }
  void Advance(std::chrono::milliseconds d) {
    now_ += d;
    lib.SetNow(lib.tz().Rfc3339(now_));
  }
  std::int64_t NowMs() const { return ToMillis(now_); }

  testing::Library lib;
  Instant now_ = *ParseRfc3339("2026-03-02T10:00:00+08:00");
  FakeMailer mailer;
};

TEST(RetryDelay, DoublesFromThirtySecondsAndStopsAtOneHour) {
  const auto base = std::chrono::milliseconds(30s), max = std::chrono::milliseconds(1h);
  EXPECT_EQ(RetryDelay(1, base, max), 30s);
  EXPECT_EQ(RetryDelay(2, base, max), 60s);
  EXPECT_EQ(RetryDelay(3, base, max), 120s);
  EXPECT_EQ(RetryDelay(7, base, max), 1920s);
  EXPECT_EQ(RetryDelay(8, base, max), 1h);
  EXPECT_EQ(RetryDelay(60, base, max), 1h);
}

TEST_F(DispatcherTest, EveryNoticeGetsAPendingEmailDelivery) {
  Queue();
  auto d = Delivery();
  EXPECT_EQ(d.Text(0), "pending");
  EXPECT_EQ(d.Int(1), 0);
}

TEST_F(DispatcherTest, SendsADueNoticeOnceAndRecordsItsMessageId) {
  Queue();
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, Options());
  EXPECT_EQ(dispatcher.RunOnce(), 1);
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  ASSERT_EQ(mailer.sent.size(), 1u);
  EXPECT_EQ(mailer.sent[0].to, "reader@example.org");
  EXPECT_EQ(mailer.sent[0].subject, "兌換完成：拼圖");
  auto d = Delivery();
  EXPECT_EQ(d.Text(0), "sent");
  EXPECT_EQ(d.Int(1), 1);
  EXPECT_EQ(d.Text(3), mailer.sent[0].message_id);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.Query("SELECT outcome FROM delivery_attempts").size(); }), 1u);
}

TEST_F(DispatcherTest, RetriesAfterTheBackoffWithTheSameMessageId) {
  Queue();
  mailer.fail_next = 2;
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, Options());
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  auto d = Delivery();
  EXPECT_EQ(d.Text(0), "pending");
  EXPECT_EQ(d.Int(2), NowMs() + 30'000);
  EXPECT_EQ(d.Text(4), "connection refused");
  Advance(29s);
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  EXPECT_EQ(mailer.tried.size(), 1u) << "not before the backoff";
  Advance(1s);
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  EXPECT_EQ(Delivery().Int(2), NowMs() + 60'000);
  Advance(60s);
  EXPECT_EQ(dispatcher.RunOnce(), 1);
  ASSERT_EQ(mailer.tried.size(), 3u);
  EXPECT_EQ(mailer.tried[0].message_id, mailer.tried[2].message_id);
  EXPECT_EQ(Delivery().Int(1), 3);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.Query("SELECT 1 FROM delivery_attempts").size(); }), 3u);
}

TEST_F(DispatcherTest, FailsAfterTenAttempts) {
  Queue();
  mailer.fail_next = 100;
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, Options());
  for (int i = 0; i < 12; ++i) {
    dispatcher.RunOnce();
    Advance(1h);
  }
  EXPECT_EQ(mailer.tried.size(), 10u);
  EXPECT_EQ(Delivery().Text(0), "failed");
  EXPECT_EQ(Delivery().Int(1), 10);
}

TEST_F(DispatcherTest, APermanentRefusalFailsAtOnce) {
  Queue();
  mailer.permanent = true;
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, Options());
  dispatcher.RunOnce();
  EXPECT_EQ(Delivery().Text(0), "failed");
}

TEST_F(DispatcherTest, AnotherDispatcherNeverTakesAClaimedDelivery) {
  Queue();
  FakeMailer other_mailer;
  Dispatcher other(lib.store(), lib.env().clock, other_mailer, Options());
  int other_sent = -1;
  // While the first dispatcher talks to the mail server, a second one runs a full pass.
  mailer.during_send = [&] { other_sent = other.RunOnce(); };
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, Options());
  EXPECT_EQ(dispatcher.RunOnce(), 1);
  EXPECT_EQ(other_sent, 0);
  EXPECT_TRUE(other_mailer.tried.empty());
}

TEST_F(DispatcherTest, ALapsedLeaseIsTakenOverWithTheSameMessageId) {
  Queue();
  // A dispatcher claimed the delivery and died before recording anything.
  auto opts = Options();
  lib.Write([&](SqlTx& tx) {
    tx.Exec("UPDATE deliveries SET status = 'sending', attempts = 1, lease_until = ?, claim_token = 'dead'",
            {NowMs() + opts.lease.count()});
  });
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, opts);
  EXPECT_EQ(dispatcher.RunOnce(), 0) << "the lease still holds";
  Advance(opts.lease);
  EXPECT_EQ(dispatcher.RunOnce(), 1);
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  ASSERT_EQ(mailer.sent.size(), 1u);
  EXPECT_EQ(mailer.sent[0].message_id, NoticeMessageId(1, "key", "lib.example"));
  EXPECT_EQ(Delivery().Int(1), 2);
}

TEST_F(DispatcherTest, ALateResultOfALostLeaseIsNotRecorded) {
  Queue();
  auto opts = Options();
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, opts);
  // While sending, the lease runs out and another dispatcher takes over and fails.
  FakeMailer other_mailer;
  other_mailer.fail_next = 1;
  Dispatcher other(lib.store(), lib.env().clock, other_mailer, opts);
  mailer.during_send = [&] {
    Advance(opts.lease);
    other.RunOnce();
  };
  dispatcher.RunOnce();
  EXPECT_EQ(Delivery().Text(0), "pending") << "the first dispatcher's late 'sent' must not overwrite";
}

TEST_F(DispatcherTest, SkipsWithoutAnAddressOrWhenTurnedOff) {
  lib.Write([](SqlTx& tx) {
    tx.Exec("INSERT INTO notice_preferences(card, kind, channel, enabled) VALUES ('C1', 'pin_changed', 'email', 0)");
  });
  Queue("pin_changed");
  Queue("redemption_done");
  Dispatcher dispatcher(lib.store(), lib.env().clock, mailer, Options());
  EXPECT_EQ(dispatcher.RunOnce(), 1);
  EXPECT_EQ(mailer.sent.at(0).subject, "兌換完成：拼圖");
  lib.Write([](SqlTx& tx) { tx.Exec("UPDATE patrons SET email = NULL"); });
  Queue("hold_ready");
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  auto statuses = lib.Read([](SqlTx& tx) { return tx.Query("SELECT status FROM deliveries ORDER BY id"); });
  EXPECT_EQ(statuses[0].Text(0), "skipped");
  EXPECT_EQ(statuses[1].Text(0), "sent");
  EXPECT_EQ(statuses[2].Text(0), "skipped");
  lib.Write([](SqlTx& tx) { tx.Exec("UPDATE patrons SET email = 'a@b.org>\r\nRCPT TO:<x@y.org'"); });
  Queue("hold_ready");
  EXPECT_EQ(dispatcher.RunOnce(), 0);
  EXPECT_EQ(mailer.tried.size(), 1u) << "an address with CR LF is never handed to the mailer";
}

}  // namespace
}  // namespace bookstamp::notify
