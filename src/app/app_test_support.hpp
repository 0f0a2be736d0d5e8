// A fresh library in a temp SQLite file for use-case tests: store, settable clock, Taipei time zone,
// and helpers that create branches, cards and bibs through the use cases.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/admin.hpp"
#include "app/catalog.hpp"
#include "app/circulation.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp::testing {

class Library {
 public:
  Library() : tz_("Asia/Taipei"), store_(std::make_unique<SqliteStore>(dir_.File("t.db"), SqliteStoreOptions{})) {
    SetNow("2026-03-02T10:00:00+08:00");
    Write([&](SqlTx& tx) { SeedPolicyIfEmpty(tx, env(), PolicyView{}); });
  }

  Env env() const { return Env{clock_, tz_}; }
  Store& store() { return *store_; }
  const TimeZone& tz() const { return tz_; }
  void SetNow(const std::string& rfc3339) { clock_.Set(*ParseRfc3339(rfc3339)); }
  Date Today() const { return env().Today(); }

  template <class F>
  void Write(F f) {
    store_->Write([&](SqlTx& tx) {
      f(tx);
      return TxOutcome::kCommit;
    });
  }
  // Runs a use case returning Result<T> in a write transaction (rolled back on refusal).
  template <class F>
  auto Do(F f) {
    std::optional<decltype(f(std::declval<SqlTx&>()))> out;
    store_->Write([&](SqlTx& tx) {
      out.emplace(f(tx));
      return out->has_value() ? TxOutcome::kCommit : TxOutcome::kRollback;
    });
    return std::move(*out);
  }
  template <class F>
  auto Read(F f) {
    std::optional<decltype(f(std::declval<SqlTx&>()))> out;
    store_->Read([&](SqlTx& tx) { out.emplace(f(tx)); });
    return std::move(*out);
  }

  void AddBranch(const std::string& code, bool mobile = false) {
    ASSERT_TRUE(Do([&](SqlTx& tx) { return CreateBranch(tx, env(), actor_, {code, "Branch " + code, mobile}); }));
  }
  void AddCard(const std::string& number, CardType type = CardType::kPersonal) {
    ASSERT_TRUE(Do([&](SqlTx& tx) {
      return CreatePatron(tx, env(), actor_, {"Reader " + number, std::nullopt, number, type, "hash"});
    }));
  }
  BibId AddBib(const std::string& title, std::vector<ItemInput> items) {
    auto r = Do([&](SqlTx& tx) { return CreateBib(tx, env(), actor_, {title, "", "", 2020, "", "", items}); });
    EXPECT_TRUE(r);
    return *r;
  }
  Result<CheckoutResult> Checkout(const std::string& card, const std::string& barcode, const std::string& branch,
                                  Channel channel = Channel::kCounter) {
    return Do([&](SqlTx& tx) {
      return CheckOut(tx, env(), actor_, {CardNumber(card), ItemBarcode(barcode), BranchCode(branch), channel});
    });
  }
  Result<CheckinResult> Checkin(const std::string& barcode, const std::string& branch) {
    return Do([&](SqlTx& tx) { return CheckIn(tx, env(), actor_, ItemBarcode(barcode), BranchCode(branch)); });
  }
  Result<HoldView> Hold(const std::string& card, BibId bib, const std::string& pickup) {
    return Do([&](SqlTx& tx) { return PlaceHold(tx, env(), actor_, CardNumber(card), bib, BranchCode(pickup)); });
  }
  const Actor& actor() const { return actor_; }

 private:
  TempDir dir_;
  TestClock clock_;
  TimeZone tz_;
  std::unique_ptr<SqliteStore> store_;
  Actor actor_ = Actor::System("test");
};

}  // namespace bookstamp::testing
