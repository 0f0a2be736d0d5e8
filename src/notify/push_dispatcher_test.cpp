// The push dispatcher against a real SQLite outbox and a fake push service: one send per browser,
// VAPID for the endpoint's origin, 404/410 removes the subscription, 429/5xx retry with backoff,
// the patron's preference is honoured, the digest is never pushed.
#include "notify/push_dispatcher.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"
#include "app/inbox.hpp"
#include "app/notices.hpp"
#include "app/push.hpp"

namespace bookstamp::notify {
namespace {

using namespace std::chrono_literals;

class FakePushService final : public PushTransport {
 public:
  PushResponse Post(const PushRequest& r) override {
    requests.push_back(r);
    if (auto full = responses.find(r.endpoint); full != responses.end() && !full->second.empty()) {
      auto out = full->second.front();
      full->second.erase(full->second.begin());
      return out;
    }
    auto it = answers.find(r.endpoint);
    if (it == answers.end() || it->second.empty()) return {201, ""};
    auto status = it->second.front();
    it->second.erase(it->second.begin());
    return {status, status ? "" : "connection refused"};
  }
  std::string Header(const PushRequest& r, const std::string& name) const {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }
  std::vector<PushRequest> requests;
  std::map<std::string, std::vector<long>> answers;  // endpoint -> statuses to give, in order
  std::map<std::string, std::vector<PushResponse>> responses;  // endpoint -> whole answers, before `answers`
};

class PushDispatcherTest : public ::testing::Test {
 protected:
  PushDispatcherTest() {
    lib.AddCard("C1");
    lib.AddCard("C2");
    clock_.Set(now_);
    vapid = GenerateP256KeyPair();
  }
  void Subscribe(const std::string& card, const std::string& endpoint) {
    auto ua = GenerateP256KeyPair();
    auto r = lib.Do([&](SqlTx& tx) {
      return SavePushSubscription(tx, lib.env(), CardNumber(card),
                                  {endpoint, crypto::Base64Url(ua.public_key), crypto::Base64Url(std::string(16, 'k'))});
    });
    ASSERT_TRUE(r);
  }
  void Queue(const std::string& card = "C1", const std::string& kind = "hold_ready") {
    lib.Write([&](SqlTx& tx) {
      QueueNotice(tx, lib.env(), CardNumber(card), kind, {{"branch", "A"}, {"pickup_by", "2026-03-09"}});
    });
  }
  PushDispatcher Dispatcher() {
    PushOptions o;
    o.subject = "mailto:library@example.org";
    return PushDispatcher(lib.store(), clock(), service, vapid, o);
  }
  const Clock& clock() { return clock_; }
  void Advance(std::chrono::milliseconds d) {
    now_ += d;
    lib.SetNow(lib.tz().Rfc3339(now_));
    clock_.Set(now_);
  }
  std::vector<std::string> SendStatuses() {
    auto rows = lib.Read([](SqlTx& tx) { return tx.Query("SELECT status FROM push_sends ORDER BY id"); });
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.Text(0));
    return out;
  }
  std::string PushDelivery() {
    return lib.Read([](SqlTx& tx) {
      auto r = tx.QueryOne("SELECT status FROM deliveries WHERE channel = 'push'");
      return r ? r->Text(0) : std::string("none");
    });
  }
  std::int64_t Count(const std::string& sql) {
    return lib.Read([&](SqlTx& tx) { return tx.QueryOne(sql)->Int(0); });
  }

  testing::Library lib;
  Instant now_ = *ParseRfc3339("2026-03-02T10:00:00+08:00");
  TestClock clock_;
  FakePushService service;
  P256KeyPair vapid;
};

TEST(ClassifyPushStatus, DeliveredGoneRetryOrRejected) {
  struct Row {
    long status;
    PushOutcome outcome;
  } rows[] = {{201, PushOutcome::kDelivered}, {200, PushOutcome::kDelivered}, {202, PushOutcome::kDelivered},
              {404, PushOutcome::kGone},      {410, PushOutcome::kGone},      {429, PushOutcome::kRetry},
              {500, PushOutcome::kRetry},     {503, PushOutcome::kRetry},     {0, PushOutcome::kRetry},
              {408, PushOutcome::kRetry},     {400, PushOutcome::kRejected},  {403, PushOutcome::kRejected},
              {413, PushOutcome::kRejected},  {301, PushOutcome::kRejected}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.status);
    EXPECT_EQ(ClassifyPushStatus(row.status), row.outcome);
  }
}

TEST(PushOrigin, SchemeHostAndANonDefaultPort) {
  EXPECT_EQ(PushOrigin("https://fcm.googleapis.com/fcm/send/abc"), "https://fcm.googleapis.com");
  EXPECT_EQ(PushOrigin("https://Push.Example.net:443/x"), "https://push.example.net");
  EXPECT_EQ(PushOrigin("http://127.0.0.1:8123/push/1?x"), "http://127.0.0.1:8123");
  EXPECT_EQ(PushOrigin("nothing"), std::nullopt);
  EXPECT_EQ(PushOrigin("https:///x"), std::nullopt);
}

TEST(PushPayload, IsTheNoticeInThePatronsLanguageWithItsPage) {
  auto zh = PushPayload(7, "redemption_expired", R"({"prize":"拼圖","points_used":3,"points_left":5})", "zh-TW", "");
  EXPECT_NE(zh.find(R"("title":"兌換已逾期：拼圖")"), std::string::npos) << zh;
  EXPECT_NE(zh.find("點數已退還"), std::string::npos) << zh;
  EXPECT_NE(zh.find(R"("url":"/passbook/redemptions")"), std::string::npos) << zh;
  EXPECT_NE(zh.find(R"("notice_id":7)"), std::string::npos) << zh;
  auto en = PushPayload(8, "hold_ready", R"({"branch":"A","pickup_by":"2026-03-09"})", "en-US", "https://lib.example");
  EXPECT_NE(en.find(R"("title":"Your hold is ready")"), std::string::npos) << en;
  EXPECT_NE(en.find(R"("url":"https://lib.example/study")"), std::string::npos) << en;
}

TEST_F(PushDispatcherTest, SendsToEveryBrowserOfTheCardOnceWithVapidForItsOrigin) {
  Subscribe("C1", "https://push-a.example/s/1");
  Subscribe("C1", "https://push-b.example:8443/s/2");
  Subscribe("C2", "https://push-a.example/s/3");
  Queue("C1");
  auto d = Dispatcher();
  EXPECT_EQ(d.RunOnce(), 2);
  EXPECT_EQ(d.RunOnce(), 0) << "never twice";
  ASSERT_EQ(service.requests.size(), 2u);
  const auto& r = service.requests[1];
  EXPECT_EQ(r.endpoint, "https://push-b.example:8443/s/2");
  EXPECT_EQ(service.Header(r, "Content-Encoding"), "aes128gcm");
  EXPECT_EQ(service.Header(r, "TTL"), "86400");
  EXPECT_EQ(service.Header(r, "Urgency"), "high");
  auto auth = service.Header(r, "Authorization");
  ASSERT_TRUE(auth.starts_with("vapid t="));
  auto jwt = auth.substr(8, auth.find(", k=") - 8);
  EXPECT_TRUE(VerifyEs256Jwt(jwt, vapid.public_key));
  auto claims = *crypto::FromBase64Url(jwt.substr(jwt.find('.') + 1, jwt.rfind('.') - jwt.find('.') - 1));
  EXPECT_NE(claims.find(R"("aud":"https://push-b.example:8443")"), std::string::npos) << claims;
  EXPECT_EQ(auth.substr(auth.find(", k=") + 4), crypto::Base64Url(vapid.public_key));
  // RFC 8188 header: salt(16) rs(4) idlen(1)=65 keyid(65), then one record.
  ASSERT_GT(r.body.size(), 86u);
  EXPECT_EQ(static_cast<unsigned char>(r.body[20]), 65u);
  EXPECT_EQ(SendStatuses(), (std::vector<std::string>{"sent", "sent"}));
  EXPECT_EQ(PushDelivery(), "sent");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                  "WHERE d.channel = 'push' AND a.outcome = 'sent'"),
            2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_subscriptions WHERE last_success_at IS NOT NULL"), 2);
}

TEST_F(PushDispatcherTest, GoneRemovesTheSubscriptionAndSkipsItsOtherPushes) {
  Subscribe("C1", "https://push-a.example/s/1");
  Subscribe("C1", "https://push-a.example/s/gone");
  // Both notices are claimed in one pass, so the gone browser is asked twice and says 410 twice.
  service.answers["https://push-a.example/s/gone"] = {410, 410};
  Queue("C1");
  Queue("C1", "pin_changed");
  auto d = Dispatcher();
  EXPECT_EQ(d.RunOnce(), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_subscriptions"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_subscriptions WHERE endpoint = 'https://push-a.example/s/gone'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_sends WHERE status = 'sent'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_sends WHERE status IN ('pending', 'sending')"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deliveries WHERE channel = 'push' AND status = 'sent'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM delivery_attempts WHERE detail LIKE '%HTTP 410%subscription removed'"), 2);
  Queue("C1");
  EXPECT_EQ(d.RunOnce(), 1);
  EXPECT_EQ(service.requests.back().endpoint, "https://push-a.example/s/1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_sends WHERE subscription_id IS NULL AND status = 'pending'"), 0);
}

TEST_F(PushDispatcherTest, RetriesAfter503And429WithBackoffThenDelivers) {
  Subscribe("C1", "https://push-a.example/s/1");
  service.answers["https://push-a.example/s/1"] = {503, 429, 0};
  Queue("C1");
  auto d = Dispatcher();
  EXPECT_EQ(d.RunOnce(), 0);
  EXPECT_EQ(SendStatuses(), (std::vector<std::string>{"pending"}));
  EXPECT_EQ(PushDelivery(), "pending");
  EXPECT_EQ(d.RunOnce(), 0);
  EXPECT_EQ(service.requests.size(), 1u) << "not before the backoff";
  Advance(30s);
  EXPECT_EQ(d.RunOnce(), 0);  // 429
  Advance(59s);
  EXPECT_EQ(d.RunOnce(), 0);
  EXPECT_EQ(service.requests.size(), 2u) << "the second wait is 60 s";
  Advance(1s);
  EXPECT_EQ(d.RunOnce(), 0);  // no answer
  Advance(120s);
  EXPECT_EQ(d.RunOnce(), 1);
  EXPECT_EQ(service.requests.size(), 4u);
  EXPECT_EQ(SendStatuses(), (std::vector<std::string>{"sent"}));
  EXPECT_EQ(Count("SELECT attempts FROM push_sends"), 4);
  EXPECT_EQ(Count("SELECT failures FROM push_subscriptions"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                  "WHERE d.channel = 'push'"),
            4);
}

TEST_F(PushDispatcherTest, ARetryAfterLongerThanTheBackoffIsWaitedFor) {
  Subscribe("C1", "https://push-a.example/s/1");
  PushResponse busy{429, ""};
  busy.retry_after = std::chrono::seconds(600);
  service.responses["https://push-a.example/s/1"] = {busy};
  Queue("C1");
  auto d = Dispatcher();
  EXPECT_EQ(d.RunOnce(), 0);
  Advance(30s);  // the backoff alone would try again now
  EXPECT_EQ(d.RunOnce(), 0);
  EXPECT_EQ(service.requests.size(), 1u) << "not before the service's Retry-After";
  Advance(570s);
  EXPECT_EQ(d.RunOnce(), 1);
  EXPECT_EQ(service.requests.size(), 2u);
  EXPECT_EQ(SendStatuses(), (std::vector<std::string>{"sent"}));
}

TEST_F(PushDispatcherTest, AnEndpointOnALocalAddressFailsAtOnceAndIsNotRetried) {
  Subscribe("C1", "https://push-a.example/s/1");
  PushResponse refused{0, "the endpoint's host resolves to a local or private address: refused"};
  refused.refused_address = true;
  service.responses["https://push-a.example/s/1"] = {refused};
  Queue("C1");
  auto d = Dispatcher();
  d.RunOnce();
  Advance(2h);
  d.RunOnce();
  EXPECT_EQ(service.requests.size(), 1u);
  EXPECT_EQ(PushDelivery(), "failed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM delivery_attempts WHERE detail LIKE '%local or private address%'"), 1);
}

TEST_F(PushDispatcherTest, ARefusalOtherThanGoneFailsAtOnce) {
  Subscribe("C1", "https://push-a.example/s/1");
  service.answers["https://push-a.example/s/1"] = {400};
  Queue("C1");
  auto d = Dispatcher();
  d.RunOnce();
  Advance(2h);
  d.RunOnce();
  EXPECT_EQ(service.requests.size(), 1u);
  EXPECT_EQ(PushDelivery(), "failed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM push_subscriptions"), 1) << "kept: only 404/410 remove it";
}

TEST_F(PushDispatcherTest, HonoursThePatronsPushPreference) {
  Subscribe("C1", "https://push-a.example/s/1");
  ASSERT_TRUE(lib.Do([](SqlTx& tx) {
    return SaveNoticePreferences(tx, CardNumber("C1"), {{"hold_ready", "push", false}});
  }));
  Queue("C1", "hold_ready");
  Queue("C1", "pin_changed");
  auto d = Dispatcher();
  EXPECT_EQ(d.RunOnce(), 1);
  ASSERT_EQ(service.requests.size(), 1u);
  EXPECT_EQ(SendStatuses(), (std::vector<std::string>{"skipped", "sent"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM delivery_attempts WHERE detail LIKE '%turned off by the patron'"), 1);
}

TEST_F(PushDispatcherTest, NoSubscriptionNoPushAndTheDigestIsMailOnly) {
  Queue("C2");
  Subscribe("C1", "https://push-a.example/s/1");
  lib.Write([&](SqlTx& tx) { QueueNotice(tx, lib.env(), CardNumber("C1"), "digest", {{"date", "2026-03-02"}}); });
  EXPECT_EQ(Dispatcher().RunOnce(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deliveries WHERE channel = 'push'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deliveries WHERE channel = 'email'"), 2) << "mail is untouched";
}

TEST_F(PushDispatcherTest, ALapsedLeaseIsTakenOverAndTheLateResultIgnored) {
  Subscribe("C1", "https://push-a.example/s/1");
  Queue("C1");
  // A dispatcher that claimed and died: its row stays 'sending' until the lease runs out.
  lib.Write([&](SqlTx& tx) {
    tx.Exec("UPDATE push_sends SET status = 'sending', attempts = 1, lease_until = ?, claim_token = 'dead'",
            {ToMillis(now_) + 60'000});
  });
  auto d = Dispatcher();
  EXPECT_EQ(d.RunOnce(), 0);
  Advance(61s);
  EXPECT_EQ(d.RunOnce(), 1);
  EXPECT_EQ(Count("SELECT attempts FROM push_sends"), 2);
}

TEST_F(PushDispatcherTest, ANoticeOlderThanTheTtlIsNotPushed) {
  Subscribe("C1", "https://push-a.example/s/1");
  Queue("C1");
  Advance(25h);
  EXPECT_EQ(Dispatcher().RunOnce(), 0);
  EXPECT_TRUE(service.requests.empty());
  EXPECT_EQ(PushDelivery(), "skipped");
}

TEST_F(PushDispatcherTest, TheVapidKeyIsMadeOnceAndKept) {
  auto first = EnsureVapidKey(lib.store(), clock(), lib.tz());
  auto again = EnsureVapidKey(lib.store(), clock(), lib.tz());
  EXPECT_EQ(first.public_key, again.public_key);
  EXPECT_EQ(first.private_key, again.private_key);
  EXPECT_EQ(first.public_key.size(), 65u);
  auto auth = VapidAuthorization(first, "https://push.example", "mailto:a@b", 2000000000);
  ASSERT_TRUE(auth);
}

}  // namespace
}  // namespace bookstamp::notify
