// The audit chain: JCS canonical form, hashes, append-only triggers, verification naming the break.
#include "app/audit.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"
#include "app/transparency.hpp"

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

namespace bookstamp {
namespace {

TEST(AuditCheckpoint, SignedHeadVerifiesUntilHistoryIsRewritten) {
  testing::Library lib;
  std::string seed(32, '\x07');
  lib.Write([&](SqlTx& tx) {
    for (int i = 0; i < 3; ++i) AppendAudit(tx, lib.env().Now(), lib.tz(), {"test", "x", "y", {{"i", i}}});
  });
  std::optional<Checkpoint> cp;
  lib.Write([&](SqlTx& tx) { cp = SignCheckpointIfDue(tx, lib.env(), seed); });
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->seq, 4);
  EXPECT_EQ(cp->public_key, PublicKeyHex(seed));
  EXPECT_EQ(lib.Read([&](SqlTx& tx) { return CheckCheckpoint(tx, *cp); }), "");
  // Nothing new to sign: no second checkpoint.
  lib.Write([&](SqlTx& tx) { EXPECT_FALSE(SignCheckpointIfDue(tx, lib.env(), seed)); });

  auto forged = *cp;
  forged.hash[0] = forged.hash[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(lib.Read([&](SqlTx& tx) { return CheckCheckpoint(tx, forged); }), "signature does not verify");

  lib.Write([](SqlTx& tx) {
    tx.Exec("DROP TRIGGER audit_log_no_update");
    tx.Exec("UPDATE audit_log SET hash = 'rewritten' WHERE seq = 4");
  });
  EXPECT_NE(lib.Read([&](SqlTx& tx) { return CheckCheckpoint(tx, *cp); }).find("rewritten"), std::string::npos);
}

TEST(Transparency, SumsPointsAndShowsHead) {
  testing::Library lib;
  lib.AddBranch("A");
  lib.AddCard("C1");
  lib.AddBib("書", {{"I1", "A"}});
  ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  auto t = lib.Read([&](SqlTx& tx) { return LoadTransparency(tx, lib.env()); });
  EXPECT_EQ(t.points_issued, 1);
  EXPECT_EQ(t.points_from_loans, 1);
  EXPECT_EQ(t.points_redeemed, 0);
  EXPECT_EQ(t.points_outstanding, 1);
  EXPECT_EQ(t.audit_head, lib.Read([](SqlTx& tx) { return VerifyAudit(tx).head; }));
}

}  // namespace
}  // namespace bookstamp
