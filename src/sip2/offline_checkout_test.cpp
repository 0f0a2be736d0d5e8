// CheckOutOffline (app/circulation.hpp): a kiosk's offline replay is recorded even where the rules
// refuse it, flagged, audited, and earns points only where the rules allow.
#include <gtest/gtest.h>

#include "app/circulation.hpp"
#include "app/ledger.hpp"
#include "sip2/sip2_test_support.hpp"

namespace bookstamp {
namespace {

Result<OfflineCheckoutResult> Offline(bookstamp::testing::Library& lib, const std::string& card,
                                      const std::string& item) {
  return lib.Do([&](SqlTx& tx) {
    return CheckOutOffline(tx, lib.env(), Actor::System("kiosk:k"),
                           {CardNumber(card), ItemBarcode(item), BranchCode("A"), Channel::kKiosk});
  });
}

std::string ReviewReason(bookstamp::testing::Library& lib, const std::string& item) {
  return lib.Read([&](SqlTx& tx) {
    auto row = tx.QueryOne(
        "SELECT COALESCE(l.review_reason, '') FROM loans l JOIN items i ON i.id = l.item_id "
        "WHERE i.barcode = ? AND l.returned_at IS NULL",
        {item});
    return row ? row->Text(0) : std::string("no loan");
  });
}

TEST(CheckOutOffline, AllowedCheckoutIsOrdinaryAndEarnsPoints) {
  sip2::testing::KioskLibrary k;
  auto r = Offline(k.lib(), "C1", "I1");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->review_reason);
  EXPECT_GT(r->checkout.points.credited, 0);
  EXPECT_EQ(ReviewReason(k.lib(), "I1"), "");
}

TEST(CheckOutOffline, RecordsACheckoutTheRulesRefuseAndFlagsIt) {
  sip2::testing::KioskLibrary k;
  // I3 goes back and is trapped for C2's hold: C1 taking it breaks ITEM_HELD_FOR_ANOTHER.
  ASSERT_TRUE(k.lib().Checkin("I3", "A"));
  auto before = k.lib().Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; });
  auto r = Offline(k.lib(), "C1", "I3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->review_reason, ErrorCode::kItemHeldForAnother);
  EXPECT_EQ(r->checkout.points.credited, 0);
  EXPECT_EQ(r->checkout.points.reason, ErrorCode::kItemHeldForAnother);
  EXPECT_EQ(ReviewReason(k.lib(), "I3"), "ITEM_HELD_FOR_ANOTHER");
  auto after = k.lib().Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; });
  EXPECT_EQ(after, before);
  auto audit = k.lib().Read([](SqlTx& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'circulation.checkout_offline' AND actor = "
                       "'kiosk:k'")
        ->Int(0);
  });
  EXPECT_EQ(audit, 1);
}

TEST(CheckOutOffline, NeverOpensASecondLoanOfAnItem) {
  sip2::testing::KioskLibrary k;
  auto r = Offline(k.lib(), "C1", "I6");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kItemOnLoan);
}

TEST(CheckOutOffline, RefusesUnknownCardsAndItems) {
  sip2::testing::KioskLibrary k;
  EXPECT_EQ(Offline(k.lib(), "NOPE", "I1").error().code, ErrorCode::kCardNotFound);
  EXPECT_EQ(Offline(k.lib(), "C1", "NOPE").error().code, ErrorCode::kItemNotFound);
}

TEST(CheckOut, IsUnchangedAndStillRefusesWhatTheRulesRefuse) {
  sip2::testing::KioskLibrary k;
  auto r = k.lib().Checkout("C1", "I5", "A", Channel::kKiosk);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kItemNotLoanable);
}

}  // namespace
}  // namespace bookstamp
