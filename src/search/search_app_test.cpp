// The search use case end to end: SQLite catalog, the journal triggers, the indexer, Xapian.
#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>

#include "app/app_test_support.hpp"
#include "app/catalog_import.hpp"
#include "app/search.hpp"
#include "search/xapian_catalog_index.hpp"

namespace bookstamp {
namespace {

using testing::Library;

class CatalogSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddBranch("B");
    lib.AddCard("C1");
  }
  BibId Add(const std::string& title, const std::string& isbn, const std::string& class_no, int year,
            std::vector<ItemInput> items) {
    auto r = lib.Do([&](SqlTx& tx) {
      return CreateBib(tx, lib.env(), lib.actor(), {title, "Author", "Publisher", year, isbn, class_no, items});
    });
    EXPECT_TRUE(r);
    return *r;
  }
  SearchPage Find(CatalogQuery q, int per_page = 20) {
    CatchUpCatalogIndex(lib.store(), index);
    SearchRequest r;
    r.query = std::move(q);
    r.per_page = per_page;
    auto page = lib.Read([&](SqlTx& tx) { return SearchCatalog(tx, lib.env(), index, r); });
    EXPECT_TRUE(page);
    return *page;
  }
  std::vector<std::string> Titles(CatalogQuery q) {
    std::vector<std::string> out;
    for (const auto& h : Find(std::move(q)).hits) out.push_back(h.title);
    return out;
  }
  Library lib;
  bookstamp::testing::TempDir dir;
  search::XapianCatalogIndex index{dir.File("search")};
};

TEST_F(CatalogSearch, TwoCharacterChineseQueries) {
  Add("紅樓夢", "", "857.49", 1990, {});
  Add("三國演義", "", "857.45", 1985, {});
  Add("圖書館學導論", "", "020", 2005, {});
  EXPECT_EQ(Titles({.q = "樓夢"}), std::vector<std::string>{"紅樓夢"});
  EXPECT_EQ(Titles({.q = "三國"}), std::vector<std::string>{"三國演義"});
  EXPECT_EQ(Titles({.q = "導論"}), std::vector<std::string>{"圖書館學導論"});
  EXPECT_EQ(Titles({.q = "夢"}), std::vector<std::string>{"紅樓夢"});
}

TEST_F(CatalogSearch, TraditionalAndSimplifiedAreOneQuery) {
  Add("紅樓夢", "", "", 1990, {});
  Add("国家图书馆藏书", "", "", 2010, {});
  EXPECT_EQ(Titles({.q = "红楼梦"}), std::vector<std::string>{"紅樓夢"});
  EXPECT_EQ(Titles({.q = "國家圖書館"}), std::vector<std::string>{"国家图书馆藏书"});
  EXPECT_EQ(Titles({.q = "藏書"}), std::vector<std::string>{"国家图书馆藏书"});
}

TEST_F(CatalogSearch, Isbn10And13AreOneBook) {
  Add("Probability", "0-306-40615-2", "", 1999, {});
  EXPECT_EQ(Titles({.isbn = "9780306406157"}), std::vector<std::string>{"Probability"});
  EXPECT_EQ(Titles({.isbn = "978-0-306-40615-7"}), std::vector<std::string>{"Probability"});
  EXPECT_EQ(Titles({.isbn = "0306406152"}), std::vector<std::string>{"Probability"});
}

TEST_F(CatalogSearch, ClassNumberPrefix) {
  Add("A", "", "863.57", 2000, {});
  Add("B", "", "863", 2000, {});
  Add("C", "", "864.1", 2000, {});
  auto titles = Titles({.class_no = "863"});
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(titles, (std::vector<std::string>{"A", "B"}));
}

TEST_F(CatalogSearch, FacetsForBranchYearAndLanguage) {
  Add("Cats in winter", "", "", 2001, {{"W1", "A"}, {"W2", "B"}});
  Add("Cats in summer", "", "", 2003, {{"S1", "A"}});
  Add("Cats at night", "", "", 2003, {});
  auto page = Find({.q = "cats"});
  EXPECT_EQ(page.total, 3);
  std::map<std::string, std::map<std::string, std::int64_t>> facets;
  for (const auto& [name, values] : page.facets)
    for (const auto& v : values) facets[name][v.value] = v.count;
  EXPECT_EQ(facets["branch"], (std::map<std::string, std::int64_t>{{"A", 2}, {"B", 1}}));
  EXPECT_EQ(facets["year"], (std::map<std::string, std::int64_t>{{"2001", 1}, {"2003", 2}}));
  EXPECT_EQ(Titles({.q = "cats", .branch = "B"}), std::vector<std::string>{"Cats in winter"});
}

TEST_F(CatalogSearch, HoldingsCountsFollowCheckouts) {
  Add("Dream of the Red Chamber", "", "", 1990, {{"D1", "A"}, {"D2", "A"}, {"D3", "B"}});
  auto holdings = [&] { return Find({.q = "dream"}).hits.at(0).holdings; };
  EXPECT_EQ(holdings().total, 3);
  EXPECT_EQ(holdings().available, 3);
  ASSERT_TRUE(lib.Checkout("C1", "D1", "A"));
  auto h = holdings();
  EXPECT_EQ(h.available, 2);
  EXPECT_EQ(h.by_branch.at(0).branch, "A");
  EXPECT_EQ(h.by_branch.at(0).available, 1);
  EXPECT_EQ(h.by_branch.at(1).available, 1);
  ASSERT_TRUE(lib.Checkin("D1", "A"));
  EXPECT_EQ(holdings().available, 3);
}

TEST_F(CatalogSearch, VernacularTitlesAreFound) {
  CatalogRecord r;
  r.record_key = "ctl:testChinese2";
  r.bib.title = "Beijing fu nü fa zhan bao gao";
  r.title_vernacular = "北京妇女发展报告";
  r.language = "chi";
  lib.Write([&](SqlTx& tx) {
    CatalogImportSummary s;
    std::string refusal;
    ASSERT_TRUE(UpsertCatalogRecord(tx, lib.env(), lib.actor(), {}, r, s, refusal));
  });
  auto page = Find({.q = "婦女"});
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].title_vernacular, "北京妇女发展报告");
  EXPECT_EQ(Find({.q = "beijing nu"}).hits.size(), 1u);
}

TEST_F(CatalogSearch, TheIndexerFollowsTheCatalogWithinASecond) {
  CatalogIndexer indexer(lib.store(), index, {});
  auto started = std::chrono::steady_clock::now();
  Add("Brand new arrival", "", "", 2026, {{"N1", "A"}});
  SearchRequest r;
  r.query.q = "arrival";
  bool found = false;
  while (!found && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
    found = !lib.Read([&](SqlTx& tx) { return SearchCatalog(tx, lib.env(), index, r); })->hits.empty();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(found);
  // And a copy moving branch moves the facet.
  lib.Write([](SqlTx& tx) { tx.Exec("UPDATE items SET branch = 'B' WHERE barcode = 'N1'"); });
  r.query.branch = "B";
  started = std::chrono::steady_clock::now();
  found = false;
  while (!found && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
    found = !lib.Read([&](SqlTx& tx) { return SearchCatalog(tx, lib.env(), index, r); })->hits.empty();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(found);
}

TEST_F(CatalogSearch, ReindexGivesTheSameAnswers) {
  Add("紅樓夢", "9789573317241", "857.49", 1990, {{"R1", "A"}});
  Add("Probability", "0306406152", "519.2", 1999, {{"P1", "B"}});
  auto before = Find({.q = "紅樓"});
  EXPECT_EQ(RebuildCatalogIndex(lib.store(), index), 2);
  auto after = Find({.q = "紅樓"});
  ASSERT_EQ(after.hits.size(), 1u);
  EXPECT_EQ(after.hits[0].id, before.hits.at(0).id);
  EXPECT_EQ(Titles({.class_no = "519"}), std::vector<std::string>{"Probability"});
  // Changes after the rebuild still arrive.
  Add("Probability again", "", "519.5", 2001, {});
  EXPECT_EQ(Titles({.class_no = "519.5"}), std::vector<std::string>{"Probability again"});
}

TEST_F(CatalogSearch, CatchUpRebuildsAnIndexOfAnOlderFormat) {
  Add("Probability", "0306406152", "519.2", 1999, {{"P1", "B"}});
  // What an older build left: the records indexed in format 1 (no "format" metadata, position 0).
  std::filesystem::path old_dir = dir.File("old-search");
  std::filesystem::create_directories(old_dir);
  {
    Xapian::WritableDatabase db((old_dir / "gen-000001").string(), Xapian::DB_CREATE_OR_OPEN);
    Xapian::Document doc;
    doc.add_term("probability");
    db.replace_document(1, doc);
    db.commit();
  }
  std::ofstream(old_dir / "CURRENT") << "gen-000001\n";
  search::XapianCatalogIndex old_index(old_dir);
  ASSERT_TRUE(old_index.NeedsRebuild());
  auto r = CatchUpCatalogIndex(lib.store(), old_index);
  EXPECT_TRUE(r.rebuilt);
  EXPECT_FALSE(old_index.NeedsRebuild());
  EXPECT_TRUE(std::filesystem::exists(old_dir / "gen-000002"));
  EXPECT_EQ(old_index.Search({.q = "probability"}).total, 1);
  EXPECT_EQ(old_index.Search({.class_no = "519", .branch = "B"}).total, 1);
}

TEST_F(CatalogSearch, SortsByYear) {
  Add("Cats 1", "", "", 1990, {});
  Add("Cats 2", "", "", 2010, {});
  Add("Cats 3", "", "", 2000, {});
  EXPECT_EQ(Titles({.q = "cats", .sort = CatalogSort::kYearNewest}),
            (std::vector<std::string>{"Cats 2", "Cats 3", "Cats 1"}));
}

}  // namespace
}  // namespace bookstamp
