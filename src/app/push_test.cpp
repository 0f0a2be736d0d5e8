// Push subscriptions: what an endpoint may be, key sizes, take-over of a known endpoint, removal.
#include "app/push.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"
#include "app/notices.hpp"

namespace bookstamp {
namespace {

std::string Point() { return crypto::Base64Url("\x04" + std::string(64, 'p')); }
std::string Auth() { return crypto::Base64Url(std::string(16, 'a')); }

TEST(IsAllowedPushEndpoint, HttpsOrThisMachineOnly) {
  struct Row {
    const char* endpoint;
    bool ok;
  } rows[] = {{"https://fcm.googleapis.com/fcm/send/abc", true},
              {"https://updates.push.services.mozilla.com/wpush/v2/x", true},
              {"http://127.0.0.1:8123/push/1", true},
              {"http://localhost/push", true},
              {"http://[::1]/push", true},
              {"http://[::1]:8080/push", true},
              {"http://push.example.net/x", false},
              {"http://127.0.0.1.example.net/x", false},
              {"http://127.0.0.1:99999999/x", false},
              {"ftp://127.0.0.1/x", false},
              {"https://", false},
              {"https://user@host/x", false},
              {"https://host/a b", false},
              {"", false}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.endpoint);
    EXPECT_EQ(IsAllowedPushEndpoint(row.endpoint, /*allow_local=*/true), row.ok);
  }
  EXPECT_FALSE(IsAllowedPushEndpoint("https://h/" + std::string(2048, 'x'), true));
}

TEST(IsAllowedPushEndpoint, RefusesLocalTargetsUnlessAllowed) {
  for (const char* local : {"http://127.0.0.1:8123/push/1", "http://localhost/push", "http://[::1]/push",
                            "https://127.0.0.1/push", "https://10.0.0.5:8443/x", "https://[fe80::1]/x",
                            "https://localhost/x", "https://LOCALHOST./x", "https://printer.local/x",
                            "https://admin.localhost/x", "https://db.corp.internal/x", "https://0x7f000001/x",
                            "https://2130706433/x"}) {
    SCOPED_TRACE(local);
    EXPECT_FALSE(IsAllowedPushEndpoint(local));
  }
  for (const char* push_service : {"https://fcm.googleapis.com/fcm/send/abc",
                                   "https://updates.push.services.mozilla.com/wpush/v2/x",
                                   "https://web.push.apple.com/QGx", "https://push-b.example:8443/s/2"}) {
    SCOPED_TRACE(push_service);
    EXPECT_TRUE(IsAllowedPushEndpoint(push_service));
  }
}

class PushSubscriptionsTest : public ::testing::Test {
 protected:
  PushSubscriptionsTest() {
    lib.AddCard("C1");
    lib.AddCard("C2");
  }
  Result<bool> Save(const std::string& card, PushSubscriptionInput in) {
    return lib.Do([&](SqlTx& tx) { return SavePushSubscription(tx, lib.env(), CardNumber(card), in); });
  }
  std::int64_t Count(const std::string& card) {
    return lib.Read([&](SqlTx& tx) { return PushSubscriptionCount(tx, CardNumber(card)); });
  }
  testing::Library lib;
};

TEST_F(PushSubscriptionsTest, RefusesBadEndpointsAndKeysNamingTheField) {
  struct Row {
    PushSubscriptionInput in;
    const char* field;
  } rows[] = {{{"http://push.example.net/1", Point(), Auth()}, "endpoint"},
              {{"https://push.example.net/1", crypto::Base64Url(std::string(65, 'p')), Auth()}, "keys.p256dh"},
              {{"https://push.example.net/1", crypto::Base64Url("\x04" + std::string(32, 'p')), Auth()}, "keys.p256dh"},
              {{"https://push.example.net/1", "not base64!", Auth()}, "keys.p256dh"},
              {{"https://push.example.net/1", Point(), crypto::Base64Url(std::string(15, 'a'))}, "keys.auth"}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.field);
    auto r = Save("C1", row.in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(r.error().field, row.field);
  }
  EXPECT_EQ(Count("C1"), 0);
}

TEST_F(PushSubscriptionsTest, AKnownEndpointIsTakenOverNotDoubled) {
  auto first = Save("C1", {"https://push.example.net/1", Point(), Auth()});
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  auto again = Save("C2", {"https://push.example.net/1", Point(), Auth()});
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(Count("C1"), 0);
  EXPECT_EQ(Count("C2"), 1);
}

TEST_F(PushSubscriptionsTest, ACardKeepsTenBrowsersDroppingTheOneLongestWithoutAPush) {
  for (int i = 0; i < kMaxPushSubscriptionsPerCard; ++i)
    ASSERT_TRUE(Save("C1", {"https://push.example.net/" + std::to_string(i), Point(), Auth()}));
  lib.Write([](SqlTx& tx) { tx.Exec("UPDATE push_subscriptions SET last_success_at = created_at + 1 WHERE endpoint <> 'https://push.example.net/3'"); });
  lib.SetNow("2026-03-02T11:00:00+08:00");
  ASSERT_TRUE(Save("C1", {"https://push.example.net/new", Point(), Auth()}));
  EXPECT_EQ(Count("C1"), kMaxPushSubscriptionsPerCard);
  EXPECT_FALSE(lib.Read([](SqlTx& tx) {
    return tx.QueryOne("SELECT 1 FROM push_subscriptions WHERE endpoint = 'https://push.example.net/3'").has_value();
  }));
}

TEST_F(PushSubscriptionsTest, DeletingSkipsUnsentPushesAndOnlyTheOwnerMayDelete) {
  ASSERT_TRUE(Save("C1", {"https://push.example.net/1", Point(), Auth()}));
  lib.Write([&](SqlTx& tx) { QueueNotice(tx, lib.env(), CardNumber("C1"), "pin_changed", {}); });
  auto other = lib.Do([](SqlTx& tx) { return DeletePushSubscription(tx, CardNumber("C2"), "https://push.example.net/1"); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(lib.Do([](SqlTx& tx) { return DeletePushSubscription(tx, CardNumber("C1"), "https://push.example.net/1"); }));
  EXPECT_EQ(Count("C1"), 0);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT status FROM push_sends")->Text(0); }), "skipped");
}

TEST_F(PushSubscriptionsTest, TheVapidKeyRowIsWrittenOnce) {
  StoredVapidKey a{"priv-a", "pub-a"}, b{"priv-b", "pub-b"};
  StoredVapidKey got;
  lib.Write([&](SqlTx& tx) { got = StoreVapidKeyIfAbsent(tx, lib.env(), a); });
  EXPECT_EQ(got.public_key, "pub-a");
  lib.Write([&](SqlTx& tx) { got = StoreVapidKeyIfAbsent(tx, lib.env(), b); });
  EXPECT_EQ(got.public_key, "pub-a") << "a second server starting at once keeps the first key";
}

}  // namespace
}  // namespace bookstamp
