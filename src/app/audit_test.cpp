// The audit chain: JCS canonical form, hashes, append-only triggers, verification naming the break.
#include "app/audit.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"

namespace bookstamp {
namespace {

TEST(CanonicalJson, SortsMembersAndEscapesLikeJcs) {
  JsonObject o{{"b", 1}, {"a", "x\n\"y\""}, {"c", JsonArray{true, nullptr, std::int64_t{-3}}}};
  EXPECT_EQ(Canonical(JsonValue(o)), R"({"a":"x\n\"y\"","b":1,"c":[true,null,-3]})");
}

TEST(CanonicalJson, OrdersKeysByUtf16CodeUnits) {
  // U+1F600 (surrogates D83D DE00) sorts before U+FF61 in UTF-16, after it in code points.
  JsonObject o{{"\xEF\xBD\xA1", 1}, {"\xF0\x9F\x98\x80", 2}};
  EXPECT_EQ(Canonical(JsonValue(o)), "{\"\xF0\x9F\x98\x80\":2,\"\xEF\xBD\xA1\":1}");
}

TEST(CanonicalJson, EscapesControlCharactersInLowercaseHex) {
  EXPECT_EQ(JsonString(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
}

TEST(AuditHash, FollowsDocumentedFormula) {
  std::string expected = crypto::Sha256Hex(
      kGenesisHash + "\n" +
      R"({"action":"branch.create","actor":"cli","at":"2026-01-01T08:00:00+08:00","details":{},"seq":1,"subject":"branch:A"})");
  EXPECT_EQ(AuditEntryHash(kGenesisHash, 1, "2026-01-01T08:00:00+08:00", "cli", "branch.create", "branch:A", "{}"),
            expected);
}

TEST(AuditLog, ChainVerifiesAndRefusesUpdates) {
  testing::Library lib;
  lib.Write([&](SqlTx& tx) {
    for (int i = 0; i < 5; ++i) AppendAudit(tx, lib.env().Now(), lib.tz(), {"test", "x", "y", {{"i", i}}});
  });
  auto v = lib.Read([](SqlTx& tx) { return VerifyAudit(tx); });
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.entries, 6);  // the policy seed and five more
  EXPECT_EQ(v.first_broken, std::nullopt);
  EXPECT_THROW(lib.Write([](SqlTx& tx) { tx.Exec("UPDATE audit_log SET details = '{}' WHERE seq = 2"); }),
               ConstraintViolation);
  EXPECT_THROW(lib.Write([](SqlTx& tx) { tx.Exec("DELETE FROM audit_log WHERE seq = 2"); }), ConstraintViolation);
}

TEST(AuditLog, VerifyNamesFirstAlteredEntry) {
  testing::Library lib;
  lib.Write([&](SqlTx& tx) {
    for (int i = 0; i < 5; ++i) AppendAudit(tx, lib.env().Now(), lib.tz(), {"test", "x", "y", {{"i", i}}});
    // Behind the server's back: drop the guard and rewrite history.
    tx.Exec("DROP TRIGGER audit_log_no_update");
    tx.Exec("UPDATE audit_log SET details = '{\"i\":99}' WHERE seq = 4");
  });
  auto v = lib.Read([](SqlTx& tx) { return VerifyAudit(tx); });
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken, 4);
}

}  // namespace
}  // namespace bookstamp
