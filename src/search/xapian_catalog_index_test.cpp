#include "search/xapian_catalog_index.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cctype>
#include <fstream>

#include "app/ports/sql.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp::search {
namespace {

using bookstamp::testing::TempDir;

IndexedBib Bib(std::int64_t id, std::string title, std::vector<std::string> branches = {}, std::optional<int> year = {},
               std::string language = "") {
  IndexedBib b;
  b.id = BibId(id);
  b.title = std::move(title);
  b.branches = std::move(branches);
  b.year = year;
  b.language = std::move(language);
  return b;
}

class XapianIndex : public ::testing::Test {
 protected:
  TempDir dir;  // before the index, which lives in it
  XapianCatalogIndex index{dir.File("search")};
  void Put(std::vector<IndexedBib> bibs) {
    auto seq = index.AppliedSeq();
    ASSERT_TRUE(index.Apply(seq, seq + 1, bibs, {}));
  }
  std::vector<std::int64_t> Ids(CatalogQuery q) {
    std::vector<std::int64_t> out;
    for (auto id : index.Search(q).ids) out.push_back(id.value());
    return out;
  }
};

TEST_F(XapianIndex, StartsEmptyAtPositionZero) {
  EXPECT_EQ(index.AppliedSeq(), 0);
  EXPECT_EQ(index.DocCount(), 0);
  EXPECT_EQ(index.Search({}).total, 0);
}

TEST_F(XapianIndex, MovesItsPositionOnlyFromWhereItIs) {
  ASSERT_TRUE(index.Apply(0, 5, {Bib(1, "One")}, {}));
  EXPECT_EQ(index.AppliedSeq(), 5);
  EXPECT_FALSE(index.Apply(0, 6, {Bib(2, "Two")}, {}));
  EXPECT_EQ(index.DocCount(), 1);
  ASSERT_TRUE(index.Apply(5, 6, {}, {BibId(1), BibId(77)}));
  EXPECT_EQ(index.DocCount(), 0);
}

TEST_F(XapianIndex, FindsOneAndTwoCharacterChineseQueries) {
  Put({Bib(1, "紅樓夢"), Bib(2, "三國演義"), Bib(3, "西遊記")});
  EXPECT_EQ(Ids({.q = "樓"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "紅樓"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "演義"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(Ids({.q = "遊"}), std::vector<std::int64_t>{3});
  EXPECT_TRUE(Ids({.q = "夢紅"}).empty());  // the characters, but not together
}

TEST_F(XapianIndex, ReadsChineseWithFieldsSignsAndOtherWords) {
  auto a = Bib(1, "紅樓夢 Dream of the red chamber");
  a.author = "曹雪芹";
  auto b = Bib(2, "西遊記");
  b.subjects = {"紅樓"};
  Put({a, b, Bib(3, "紅色的樓")});
  EXPECT_EQ(Ids({.q = "紅樓 dream"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "dream紅樓夢"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "title:紅樓"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "author:雪芹"}), std::vector<std::int64_t>{1});
  EXPECT_TRUE(Ids({.q = "author:紅樓"}).empty());
  EXPECT_EQ(Ids({.q = "紅樓 -夢"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(Ids({.q = "「紅樓」，夢"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "紅樓夢 OR 西遊"}).size(), 2u);  // boolean syntax: the query parser reads it all
  EXPECT_EQ(Ids({.title = "遊記"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(Ids({.q = "紅樓", .sort = CatalogSort::kYearNewest}).size(), 2u);
}

TEST_F(XapianIndex, TraditionalAndSimplifiedFindEachOther) {
  Put({Bib(1, "紅樓夢"), Bib(2, "国家图书馆")});
  EXPECT_EQ(Ids({.q = "红楼"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "國家"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(Ids({.title = "圖書館"}), std::vector<std::int64_t>{2});
}

TEST_F(XapianIndex, StemsEnglishButNotChinese) {
  Put({Bib(1, "Running with scissors"), Bib(2, "跑步")});
  EXPECT_EQ(Ids({.q = "run"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "runs"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "跑"}), std::vector<std::int64_t>{2});
  // No Z-prefixed (stemmed) term is made from CJK text.
  auto doc = index.MakeDocument(Bib(2, "跑步"));
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) EXPECT_NE((*t)[0], 'Z') << *t;
}

TEST_F(XapianIndex, FindsAccentedWordsWithoutAccents) {
  Put({Bib(1, "Fénelon et l'école")});
  EXPECT_EQ(Ids({.q = "fenelon ecole"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "Fénelon"}), std::vector<std::int64_t>{1});
}

TEST_F(XapianIndex, MatchesIsbn10AndIsbn13OfOneBook) {
  auto b = Bib(1, "Probability");
  b.isbns = {"0306406152"};
  auto c = Bib(2, "Other");
  c.isbns = {"9789573317241"};
  Put({b, c});
  for (const char* q : {"0306406152", "0-306-40615-2", "9780306406157", "978-0-306-40615-7"}) {
    SCOPED_TRACE(q);
    EXPECT_EQ(Ids({.isbn = q}), std::vector<std::int64_t>{1});
    EXPECT_EQ(Ids({.q = q}), std::vector<std::int64_t>{1});
  }
  EXPECT_EQ(Ids({.isbn = "957-33-1724-X"}), std::vector<std::int64_t>{});  // wrong check digit: no such book
  EXPECT_EQ(Ids({.isbn = "978-957-33-1724-1"}), std::vector<std::int64_t>{2});
}

TEST_F(XapianIndex, FindsClassNumbersByPrefix) {
  auto a = Bib(1, "A");
  a.class_no = "863.57";
  auto b = Bib(2, "B");
  b.class_no = "863.62";
  auto c = Bib(3, "C");
  c.class_no = "86";
  auto d = Bib(4, "D");
  d.class_no = "PS3537.A426";
  Put({a, b, c, d});
  EXPECT_EQ(Ids({.class_no = "863"}), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(Ids({.class_no = "863.5"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.class_no = "863.57"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.class_no = "86"}).size(), 3u);
  EXPECT_EQ(Ids({.class_no = "ps3537"}), std::vector<std::int64_t>{4});
}

TEST_F(XapianIndex, PutsAnExactTitleFirst) {
  Put({Bib(1, "History of the Red Chamber: a study of the dream"), Bib(2, "The Dream"),
       Bib(3, "Dream dream dream of dreams"), Bib(4, "The dream of the red chamber")});
  auto ids = Ids({.q = "the dream of the red chamber"});
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], 4);
  EXPECT_EQ(Ids({.q = "The Dream"})[0], 2);
}

TEST_F(XapianIndex, CountsFacetsAndFilters) {
  Put({Bib(1, "Cats", {"A", "B"}, 2001, "eng"), Bib(2, "Cats again", {"A"}, 2001, "chi"),
       Bib(3, "Cats forever", {"B"}, 1999, "eng"), Bib(4, "Dogs", {"A"}, 2001, "eng")});
  auto hits = index.Search({.q = "cats"});
  EXPECT_EQ(hits.total, 3);
  EXPECT_TRUE(hits.facets_exact);
  std::map<std::string, std::map<std::string, std::int64_t>> facets;
  for (const auto& [name, values] : hits.facets)
    for (const auto& v : values) facets[name][v.value] = v.count;
  EXPECT_EQ(facets["branch"], (std::map<std::string, std::int64_t>{{"A", 2}, {"B", 2}}));
  EXPECT_EQ(facets["year"], (std::map<std::string, std::int64_t>{{"2001", 2}, {"1999", 1}}));
  EXPECT_EQ(facets["language"], (std::map<std::string, std::int64_t>{{"eng", 2}, {"chi", 1}}));
  EXPECT_EQ(Ids({.q = "cats", .branch = "B"}), (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(Ids({.q = "cats", .language = "chi"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(Ids({.q = "cats", .year_from = 2000, .year_to = 2005}).size(), 2u);
}

TEST_F(XapianIndex, KeepsFacetCodesAcrossCommitsAndRebuilds) {
  Put({Bib(1, "Cats", {"A"}, 2001, "eng")});
  Put({Bib(2, "Cats", {"B", "A"}, 1999, "chi"), Bib(3, "Cats", {"C"}, std::nullopt, "")});
  auto facets = [&] {
    std::map<std::string, std::map<std::string, std::int64_t>> out;
    for (const auto& [name, values] : index.Search({.q = "cats"}).facets)
      for (const auto& v : values) out[name][v.value] = v.count;
    return out;
  };
  auto before = facets();
  EXPECT_EQ(before["branch"], (std::map<std::string, std::int64_t>{{"A", 2}, {"B", 1}, {"C", 1}}));
  EXPECT_EQ(before["language"], (std::map<std::string, std::int64_t>{{"chi", 1}, {"eng", 1}}));
  EXPECT_EQ(before["year"], (std::map<std::string, std::int64_t>{{"1999", 1}, {"2001", 1}}));
  auto builder = index.Rebuild();
  builder->Add(Bib(3, "Cats", {"C"}, std::nullopt, ""));
  builder->Add(Bib(2, "Cats", {"B", "A"}, 1999, "chi"));
  builder->Add(Bib(1, "Cats", {"A"}, 2001, "eng"));
  builder->Finish(9);
  EXPECT_EQ(facets(), before);
}

TEST_F(XapianIndex, SortsByYearWithUndatedLast) {
  Put({Bib(1, "Cats", {}, 2001), Bib(2, "Cats", {}, std::nullopt), Bib(3, "Cats", {}, 1999), Bib(4, "Cats", {}, 2010)});
  EXPECT_EQ(Ids({.q = "cats", .sort = CatalogSort::kYearNewest}), (std::vector<std::int64_t>{4, 1, 3, 2}));
  EXPECT_EQ(Ids({.q = "cats", .sort = CatalogSort::kYearOldest}), (std::vector<std::int64_t>{3, 1, 4, 2}));
}

TEST_F(XapianIndex, PagesAndCountsEverything) {
  std::vector<IndexedBib> many;
  for (int i = 1; i <= 45; ++i) many.push_back(Bib(i, "Common title " + std::to_string(i)));
  Put(many);
  auto first = index.Search({.q = "common", .offset = 0, .limit = 20});
  auto third = index.Search({.q = "common", .offset = 40, .limit = 20});
  EXPECT_EQ(first.total, 45);
  EXPECT_TRUE(first.total_exact);
  EXPECT_EQ(first.ids.size(), 20u);
  EXPECT_EQ(third.ids.size(), 5u);
  EXPECT_EQ(index.Search({}).total, 45);  // no query: everything
}

// Past the sample, `total` is an estimate. Words whose character pairs always come together (圖書 and
// 書館 in 圖書館) are not independent, so an estimate from the pairs' frequencies alone is far too
// low; the sample's reach into the records says how many there are.
TEST(XapianIndexEstimate, ATotalBeyondTheSampleIsNearTheTruthForAWordOfSeveralPairs) {
  TempDir dir;
  XapianCatalogIndex index(dir.File("search"), {.facet_sample = 200});
  std::vector<IndexedBib> bibs;
  int truth = 0;
  for (int i = 1; i <= 6000; ++i) {
    // 1,500 records: the first 300 titled exactly 圖書館 (they rank first and end the ranking early).
    const bool library = i % 4 == 0;
    truth += library;
    const std::string title = i <= 1200 ? "圖書館" : "城市圖書館的故事 " + std::to_string(i);
    bibs.push_back(Bib(i, library ? title : "山海經 " + std::to_string(i)));
  }
  const auto seq = index.AppliedSeq();
  ASSERT_TRUE(index.Apply(seq, seq + 1, bibs, {}));
  for (bool facets : {true, false}) {
    auto hits = index.Search({.q = "圖書館", .limit = 20, .facets = facets});
    EXPECT_FALSE(hits.total_exact);
    EXPECT_GT(hits.total, truth * 8 / 10) << "facets " << facets;
    EXPECT_LT(hits.total, truth * 12 / 10) << "facets " << facets;
  }
}

TEST_F(XapianIndex, RebuildSwitchesGenerationsAtOnce) {
  Put({Bib(1, "Old")});
  auto builder = index.Rebuild();
  builder->Add(Bib(2, "New"));
  EXPECT_EQ(Ids({.q = "old"}), std::vector<std::int64_t>{1});  // still the live generation
  builder->Finish(42);
  EXPECT_TRUE(Ids({.q = "old"}).empty());
  EXPECT_EQ(Ids({.q = "new"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(index.AppliedSeq(), 42);
  EXPECT_FALSE(index.Apply(1, 43, {}, {}));
  EXPECT_TRUE(index.Apply(42, 43, {Bib(3, "Newer")}, {}));
}

TEST_F(XapianIndex, AnotherProcessSeesARebuild) {
  Put({Bib(1, "Old")});
  XapianCatalogIndex other(dir.File("search"));  // what a `bookstamp reindex` beside the server opens
  auto builder = other.Rebuild();
  builder->Add(Bib(2, "New"));
  builder->Finish(7);
  EXPECT_EQ(Ids({.q = "new"}), std::vector<std::int64_t>{2});
  EXPECT_EQ(index.AppliedSeq(), 7);
}

TEST_F(XapianIndex, AnAbandonedRebuildLeavesNothing) {
  Put({Bib(1, "Old")});
  {
    auto builder = index.Rebuild();
    builder->Add(Bib(2, "New"));
  }
  EXPECT_EQ(Ids({.q = "old"}), std::vector<std::int64_t>{1});
  int generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.File("search")))
    if (e.path().filename().string().starts_with("gen-")) ++generations;
  EXPECT_EQ(generations, 1);
}

TEST_F(XapianIndex, SaysWhenAnotherProcessHoldsTheWriteLock) {
  index.AppliedSeq();  // takes the write lock
  XapianCatalogIndex other(dir.File("search"));
  EXPECT_THROW(other.AppliedSeq(), StoreUnavailable);
  index.ReleaseWriter();
  EXPECT_EQ(other.AppliedSeq(), 0);
}

TEST_F(XapianIndex, FindsQuotedPhrases) {
  auto a = Bib(1, "The dream of the red chamber");
  auto b = Bib(2, "Red dream, a chamber piece");
  auto c = Bib(3, "紅樓夢");
  c.subjects = {"Chinese fiction"};
  auto d = Bib(4, "夢樓紅");
  Put({a, b, c, d});
  EXPECT_EQ(Ids({.q = "\"red chamber\""}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "\"chinese fiction\""}), std::vector<std::int64_t>{3});
  EXPECT_EQ(Ids({.q = "\"紅樓\""}), std::vector<std::int64_t>{3});
  EXPECT_EQ(Ids({.q = "\"紅樓夢\""}), std::vector<std::int64_t>{3});
}

TEST_F(XapianIndex, IndexesEachFieldOnceUnderItsPrefix) {
  auto b = Bib(1, "Whales of the north 鯨魚");
  b.author = "Emily Hughes";
  b.subjects = {"Marine biology"};
  b.class_no = "599.5";
  Put({b});
  auto doc = index.MakeDocument(b);
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>((*t)[0]))) << "unprefixed term " << *t;
  // Free text still finds every field, and words from two fields together.
  EXPECT_EQ(Ids({.q = "hughes"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "whale biology"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "鯨"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "599.5"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.author = "whales"}), std::vector<std::int64_t>{});
}

// A generation written by the format-1 code: every field also unprefixed, no "format" metadata.
void WriteOlderFormatIndex(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  {
    Xapian::WritableDatabase db((dir / "gen-000001").string(), Xapian::DB_CREATE_OR_OPEN);
    Xapian::Document doc;
    doc.add_term("old");
    doc.add_term("Sold");
    doc.add_value(1, "eng");
    db.replace_document(1, doc);
    db.set_metadata("journal_seq", "3");
    db.commit();
  }
  std::ofstream(dir / "CURRENT") << "gen-000001\n";
}

TEST(XapianIndexFormat, AnOlderFormatIsNotSearchedOrWrittenUntilRebuilt) {
  TempDir dir;
  WriteOlderFormatIndex(std::filesystem::path(dir.File("search")));
  XapianCatalogIndex index(dir.File("search"));
  EXPECT_TRUE(index.NeedsRebuild());
  EXPECT_THROW(index.Search({.q = "old"}), StoreUnavailable);
  EXPECT_THROW(index.Apply(3, 4, {Bib(2, "New")}, {}), StoreUnavailable);
  auto builder = index.Rebuild();
  builder->Add(Bib(1, "Old"));
  builder->Finish(3);
  EXPECT_FALSE(index.NeedsRebuild());
  EXPECT_EQ(index.Search({.q = "old"}).ids, std::vector<BibId>{BibId(1)});
  EXPECT_TRUE(index.Apply(3, 4, {Bib(2, "New")}, {}));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir.File("search")) / "gen-000003"));
  EXPECT_EQ(index.DocCount(), 2);
  // A fresh index is in the current format.
  XapianCatalogIndex fresh(dir.File("fresh"));
  EXPECT_FALSE(fresh.NeedsRebuild());
}

TEST_F(XapianIndex, ReadsBadQueriesAsWords) {
  Put({Bib(1, "Unbalanced (quote")});
  EXPECT_EQ(Ids({.q = "\"unbalanced (quote"}), std::vector<std::int64_t>{1});
  EXPECT_EQ(Ids({.q = "AND OR NOT"}).size(), 0u);
}

}  // namespace
}  // namespace bookstamp::search
