// Reports (PRODUCT.md A3): redemption and point sums per branch and period, a card's changes
// without titles, who may read them, and the CSV that opens cleanly in a spreadsheet.
#include "app/reports.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/ledger.hpp"
#include "app/prizes.hpp"
#include "app/xlsx_export.hpp"

namespace bookstamp {
namespace {

Actor Staff(Role role, std::optional<std::string> branch) {
  Actor a;
  a.kind = Actor::Kind::kStaff;
  a.role = role;
  if (branch) a.branch = BranchCode(*branch);
  a.username = "s";
  a.label = "staff:s";
  return a;
}

// Splits RFC 4180 CSV (after the BOM) into rows of fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 3; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += '"', ++i;
      else if (c == '"') quoted = false;
      else rows.back().back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddBranch("B");
    lib.AddCard("T0000001");
    lib.AddBib("紅樓夢", {{"I1", "A"}});
    ASSERT_TRUE(lib.Checkout("T0000001", "I1", "A"));  // +1 at A from a loan
    ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
      return AppendLedger(tx, lib.env(), lib.actor(),
                          {CardNumber("T0000001"), LedgerKind::kOpening, 100, "opening:T0000001"});
    }));
    prize_a = MakePrize("A", "故宮明信片", 5);
    prize_b = MakePrize("B", "=HYPERLINK(\"x\"),\"引號\"", 7);
    ASSERT_TRUE(Redeem(prize_a));
    ASSERT_TRUE(Redeem(prize_b));
  }
  PrizeId MakePrize(const std::string& branch, const std::string& name, std::int64_t cost) {
    auto p = lib.Do([&](SqlTx& tx) {
      PrizeInput in;
      in.branch = BranchCode(branch);
      in.name = name;
      in.cost = cost;
      in.stock = 10;
      return CreatePrize(tx, lib.env(), lib.actor(), in);
    });
    EXPECT_TRUE(p);
    return p->prize.id;
  }
  Result<RedemptionView> Redeem(PrizeId prize) {
    return lib.Do([&](SqlTx& tx) { return CounterRedeem(tx, lib.env(), lib.actor(), CardNumber("T0000001"), prize); });
  }
  template <class F>
  auto Report(F f) {
    return lib.Read([&](SqlTx& tx) { return f(tx); });
  }
  testing::Library lib;
  PrizeId prize_a{0}, prize_b{0};
};

TEST_F(ReportsTest, RedemptionsListAndTotalsPerBranch) {
  auto r = Report([&](SqlTx& tx) { return RedemptionsReport(tx, lib.env(), Staff(Role::kAuditor, {}), {}); });
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].prize_name, "故宮明信片");
  EXPECT_EQ(r->rows[0].status, "completed");
  EXPECT_EQ(r->rows[0].channel, "counter");
  EXPECT_EQ(r->rows[0].card_masked.find("0000001"), std::string::npos);  // masked
  ASSERT_EQ(r->totals.size(), 2u);
  EXPECT_EQ(r->totals[0].branch, "A");
  EXPECT_EQ(r->totals[0].completed_points, 5);
  EXPECT_EQ(r->totals[1].completed_points, 7);
  EXPECT_EQ(r->period.from, lib.Today() - Days(29));
}

TEST_F(ReportsTest, PeriodAndBranchFilter) {
  auto r = Report([&](SqlTx& tx) {
    return RedemptionsReport(tx, lib.env(), Staff(Role::kSysadmin, {}), {BranchCode("B"), lib.Today(), lib.Today()});
  });
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].branch, "B");
  auto later = Report([&](SqlTx& tx) {
    return RedemptionsReport(tx, lib.env(), Staff(Role::kSysadmin, {}),
                             {std::nullopt, lib.Today() + Days(1), lib.Today() + Days(2)});
  });
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->rows.empty());
  auto bad = Report([&](SqlTx& tx) {
    return RedemptionsReport(tx, lib.env(), Staff(Role::kSysadmin, {}),
                             {std::nullopt, lib.Today() + Days(1), lib.Today()});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
}

TEST_F(ReportsTest, BranchAdminSeesOnlyTheirBranchAndCounterNothing) {
  auto own = Report([&](SqlTx& tx) { return RedemptionsReport(tx, lib.env(), Staff(Role::kBranchAdmin, "A"), {}); });
  ASSERT_TRUE(own);
  ASSERT_EQ(own->rows.size(), 1u);
  EXPECT_EQ(own->rows[0].branch, "A");
  auto other = Report([&](SqlTx& tx) {
    return RedemptionsReport(tx, lib.env(), Staff(Role::kBranchAdmin, "A"), {BranchCode("B")});
  });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kForbidden);
  auto counter = Report([&](SqlTx& tx) { return PointsReportFor(tx, lib.env(), Staff(Role::kCounter, "A"), {}); });
  ASSERT_FALSE(counter);
  EXPECT_EQ(counter.error().code, ErrorCode::kForbidden);
  auto card = Report([&](SqlTx& tx) {
    return CardPointsReportFor(tx, lib.env(), Staff(Role::kCounter, "A"), CardNumber("T0000001"), {}, {});
  });
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code, ErrorCode::kForbidden);
}

TEST_F(ReportsTest, PointsPerBranchAndDay) {
  auto r = Report([&](SqlTx& tx) { return PointsReportFor(tx, lib.env(), Staff(Role::kAuditor, {}), {}); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total.issued_loans, 1);
  EXPECT_EQ(r->total.redeemed, 12);
  EXPECT_EQ(r->total.spent(), 12);
  ASSERT_EQ(r->branches.size(), 2u);
  EXPECT_EQ(r->branches[0].branch, "A");
  EXPECT_EQ(r->branches[0].issued(), 1);
  EXPECT_EQ(r->branches[0].redeemed, 5);
  EXPECT_EQ(r->branches[1].redeemed, 7);
  ASSERT_EQ(r->days.size(), 2u);
  EXPECT_EQ(r->days[0].day, lib.Today());
}

TEST_F(ReportsTest, CardPointsShowPointsAndDatesNeverTitles) {
  auto r = Report([&](SqlTx& tx) {
    return CardPointsReportFor(tx, lib.env(), Staff(Role::kBranchAdmin, "A"), CardNumber("T0000001"), {}, {});
  });
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 4u);
  EXPECT_EQ(r->rows[0].kind, "loan");
  EXPECT_EQ(r->earned, 1);
  EXPECT_EQ(r->spent, 12);
  EXPECT_EQ(r->balance, 89);
  for (const auto& t : ReportTables(*r, lib.tz())) {
    for (const auto& row : t.rows) {
      for (const auto& c : row) {
        if (auto s = std::get_if<std::string>(&c)) {
          EXPECT_EQ(s->find("紅樓夢"), std::string::npos);
        }
      }
    }
  }
  auto none = Report([&](SqlTx& tx) {
    return CardPointsReportFor(tx, lib.env(), Staff(Role::kAuditor, {}), CardNumber("NOPE"), {}, {});
  });
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kCardNotFound);
}

TEST_F(ReportsTest, CsvHasBomCrlfQuotingAndNoFormulas) {
  auto r = Report([&](SqlTx& tx) { return RedemptionsReport(tx, lib.env(), Staff(Role::kAuditor, {}), {}); });
  ASSERT_TRUE(r);
  auto csv = ToCsv(ReportTables(*r, lib.tz()).at(0));
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  EXPECT_NE(csv.find("\r\n"), std::string::npos);
  auto rows = ParseCsv(csv);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
  EXPECT_EQ(rows[0][6], "獎品");
  EXPECT_EQ(rows[1][6], "故宮明信片");
  EXPECT_EQ(rows[2][6], "'=HYPERLINK(\"x\"),\"引號\"");  // quoted, and never a formula
  EXPECT_EQ(rows[1][7], "5");
}

TEST_F(ReportsTest, EnglishHeadingsOnRequest) {
  auto r = Report([&](SqlTx& tx) { return RedemptionsReport(tx, lib.env(), Staff(Role::kAuditor, {}), {}); });
  ASSERT_TRUE(r);
  auto tables = ReportTables(*r, lib.tz(), ReportLang::kEn);
  EXPECT_EQ(tables.at(0).name, "Redemptions");
  EXPECT_EQ(tables.at(0).header.at(6), "Prize");
  EXPECT_EQ(std::get<std::string>(tables.at(0).rows.at(0).at(8)), "Completed");
  EXPECT_EQ(std::get<std::string>(tables.at(0).rows.at(0).at(6)), "故宮明信片");  // data stays as it is
  EXPECT_EQ(std::get<std::string>(tables.at(1).rows.back().at(0)), "Total");
  auto zh = ReportTables(*r, lib.tz());
  EXPECT_EQ(zh.at(0).header.at(6), "獎品");
  EXPECT_EQ(std::get<std::string>(zh.at(0).rows.at(0).at(8)), "已兌換");
  auto p = Report([&](SqlTx& tx) { return PointsReportFor(tx, lib.env(), Staff(Role::kAuditor, {}), {}); });
  ASSERT_TRUE(p);
  EXPECT_EQ(ReportTables(*p, ReportLang::kEn).at(0).header.at(3), "Issued for loans");
  auto c = Report([&](SqlTx& tx) {
    return CardPointsReportFor(tx, lib.env(), Staff(Role::kAuditor, {}), CardNumber("T0000001"), {}, {});
  });
  ASSERT_TRUE(c);
  auto ct = ReportTables(*c, lib.tz(), ReportLang::kEn);
  EXPECT_EQ(ct.at(0).name, "Point changes");
  EXPECT_EQ(std::get<std::string>(ct.at(0).rows.at(0).at(3)), "Loan");
}

TEST(CsvField, GuardsEveryFormulaStart) {
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("a\nb"), "\"a\nb\"");
  EXPECT_EQ(CsvField("中文"), "中文");
}

TEST_F(ReportsTest, XlsxIsAZipWithTheSheets) {
  auto r = Report([&](SqlTx& tx) { return RedemptionsReport(tx, lib.env(), Staff(Role::kAuditor, {}), {}); });
  ASSERT_TRUE(r);
  auto bytes = ToXlsx(ReportTables(*r, lib.tz()));
  ASSERT_GT(bytes.size(), 100u);
  EXPECT_TRUE(bytes.starts_with("PK\x03\x04"));
  // The central directory names the two worksheets.
  EXPECT_NE(bytes.find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_NE(bytes.find("xl/worksheets/sheet2.xml"), std::string::npos);
}

}  // namespace
}  // namespace bookstamp
