// The reading report (PRODUCT.md P12): loans per month and class, points per year, and the
// classes withheld when the card keeps no reading history (RULES.md Privacy).
#include "app/reading_report.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/cards.hpp"
#include "app/ledger.hpp"

namespace bookstamp {
namespace {

class ReadingReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddCard("T0000001");
    lib.AddCard("T0000002");
    AddBib("紅樓夢", "857.49", "I1");
    AddBib("物理學", " 330", "I2");
    AddBib("無分類", "", "I3");
    AddBib("英文書", "FIC", "I4");
  }
  void AddBib(const std::string& title, const std::string& class_no, const std::string& barcode) {
    ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
      return CreateBib(tx, lib.env(), lib.actor(), {title, "", "", 2020, "", class_no, {{barcode, "A"}}});
    }));
  }
  // Borrows and returns at once; the points credited.
  int Borrow(const std::string& card, const std::string& barcode, const std::string& when) {
    lib.SetNow(when);
    auto r = lib.Checkout(card, barcode, "A");
    EXPECT_TRUE(r) << barcode;
    EXPECT_TRUE(lib.Checkin(barcode, "A"));
    return r ? r->points.credited : 0;
  }
  ReadingReport Report(const std::string& card, std::optional<int> year) {
    auto r = lib.Read([&](SqlTx& tx) { return ReadingReportFor(tx, lib.env(), CardNumber(card), year); });
    EXPECT_TRUE(r);
    return r ? *r : ReadingReport{};
  }
  static std::int64_t Class(const ReadingReport& r, const std::string& code) {
    for (const auto& c : r.by_class)
      if (c.code == code) return c.loans;
    return -1;
  }
  testing::Library lib;
};

TEST_F(ReadingReportTest, CountsLoansByMonthAndClassAndPointsByYear) {
  int p2025 = Borrow("T0000001", "I1", "2025-12-31T20:00:00+08:00");
  int p2026 = Borrow("T0000001", "I1", "2026-01-01T09:00:00+08:00");  // local day decides the month
  p2026 += Borrow("T0000001", "I2", "2026-01-20T10:00:00+08:00");
  p2026 += Borrow("T0000001", "I3", "2026-03-02T10:00:00+08:00");
  p2026 += Borrow("T0000001", "I4", "2026-03-03T10:00:00+08:00");
  Borrow("T0000002", "I2", "2026-03-04T10:00:00+08:00");  // another card's loan is not counted
  ASSERT_GT(p2025, 0);
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
    return AppendLedger(tx, lib.env(), lib.actor(),
                        {CardNumber("T0000001"), LedgerKind::kRedemption, -1, "redemption:test"});
  }));

  auto r = Report("T0000001", 2026);
  EXPECT_EQ(r.year, 2026);
  EXPECT_TRUE(r.history_kept);
  EXPECT_EQ(r.loans_by_month[0], 2);
  EXPECT_EQ(r.loans_by_month[1], 0);
  EXPECT_EQ(r.loans_by_month[2], 2);
  EXPECT_EQ(r.loans_year, 4);
  EXPECT_EQ(r.loans_lifetime, 5);
  ASSERT_EQ(r.by_class.size(), 11u);
  EXPECT_EQ(Class(r, "8"), 1);
  EXPECT_EQ(Class(r, "3"), 1);
  EXPECT_EQ(Class(r, "unclassified"), 2);  // "" and "FIC"
  EXPECT_EQ(Class(r, "0"), 0);
  EXPECT_EQ(r.erased, 0);
  ASSERT_EQ(r.points_by_year.size(), 2u);
  EXPECT_EQ(r.points_by_year[0].year, 2025);
  EXPECT_EQ(r.points_by_year[0].earned, p2025);
  EXPECT_EQ(r.points_by_year[1].year, 2026);
  EXPECT_EQ(r.points_by_year[1].earned, p2026);
  EXPECT_EQ(r.points_by_year[1].spent, 1);
  EXPECT_EQ(r.points_earned, p2025 + p2026);
  EXPECT_EQ(r.points_spent, 1);

  auto last = Report("T0000001", 2025);
  EXPECT_EQ(last.loans_by_month[11], 1);
  EXPECT_EQ(last.loans_year, 1);
  EXPECT_EQ(Class(last, "8"), 1);

  // Default: this year (the clock says 2026).
  EXPECT_EQ(Report("T0000001", std::nullopt).year, 2026);
}

TEST_F(ReadingReportTest, WithHistoryOffClassesAreNotReported) {
  Borrow("T0000001", "I1", "2026-02-01T10:00:00+08:00");
  lib.Write([&](SqlTx& tx) { SetKeepHistory(tx, lib.env(), CardNumber("T0000001"), false); });
  Borrow("T0000001", "I2", "2026-02-02T10:00:00+08:00");
  auto r = Report("T0000001", 2026);
  EXPECT_FALSE(r.history_kept);
  EXPECT_TRUE(r.by_class.empty());
  EXPECT_EQ(r.loans_by_month[1], 2);  // dates and points stay
  EXPECT_EQ(r.erased, 1);             // the first loan lost its title when history went off
}

TEST_F(ReadingReportTest, ErasedLoansAreCountedButNotClassified) {
  Borrow("T0000001", "I1", "2026-02-01T10:00:00+08:00");
  lib.Write([&](SqlTx& tx) { EraseHistory(tx, lib.env(), CardNumber("T0000001")); });
  Borrow("T0000001", "I2", "2026-02-02T10:00:00+08:00");
  auto r = Report("T0000001", 2026);
  EXPECT_TRUE(r.history_kept);
  EXPECT_EQ(r.loans_by_month[1], 2);
  EXPECT_EQ(r.erased, 1);
  EXPECT_EQ(Class(r, "8"), 0);
  EXPECT_EQ(Class(r, "3"), 1);
}

TEST_F(ReadingReportTest, RefusesBadYearAndUnknownCard) {
  auto bad = lib.Read([&](SqlTx& tx) { return ReadingReportFor(tx, lib.env(), CardNumber("T0000001"), 1800); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
  auto none = lib.Read([&](SqlTx& tx) { return ReadingReportFor(tx, lib.env(), CardNumber("NOPE0001"), 2026); });
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kCardNotFound);
}

TEST(ClassNameTest, NamesTheMainClasses) {
  EXPECT_EQ(ClassName("0", "zh-TW"), "總類");
  EXPECT_EQ(ClassName("8", "zh-TW"), "語言文學類");
  EXPECT_EQ(ClassName("9", "en"), "Arts");
  EXPECT_EQ(ClassName("unclassified", "zh-TW"), "未分類");
}

}  // namespace
}  // namespace bookstamp
