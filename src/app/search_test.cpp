#include "app/search.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"

namespace bookstamp {
namespace {

using testing::Library;

// An index that answers with fixed ids and records what it is given.
class FakeIndex final : public CatalogIndex {
 public:
  CatalogHits Search(const CatalogQuery& q) override {
    last_query = q;
    CatalogHits h;
    h.total = static_cast<std::int64_t>(answer.size());
    for (std::size_t i = q.offset; i < answer.size() && h.ids.size() < q.limit; ++i) h.ids.push_back(answer[i]);
    return h;
  }
  std::int64_t AppliedSeq() override { return seq; }
  bool Apply(std::int64_t from, std::int64_t through, const std::vector<IndexedBib>& upserts,
             const std::vector<BibId>& removals) override {
    std::lock_guard lock(mu);
    if (from != seq) return false;
    for (const auto& b : upserts) docs[b.id.value()] = b;
    for (auto id : removals) docs.erase(id.value());
    seq = through;
    ++applies;
    return true;
  }
  std::unique_ptr<CatalogIndexBuilder> Rebuild() override {
    struct B final : CatalogIndexBuilder {
      FakeIndex& f;
      std::map<std::int64_t, IndexedBib> fresh;
      explicit B(FakeIndex& f) : f(f) {}
      void Add(const IndexedBib& b) override { fresh[b.id.value()] = b; }
      void Finish(std::int64_t s) override {
        std::lock_guard lock(f.mu);
        f.docs = fresh;
        f.seq = s;
      }
    };
    return std::make_unique<B>(*this);
  }
  std::int64_t DocCount() override { return static_cast<std::int64_t>(docs.size()); }

  std::vector<BibId> answer;
  CatalogQuery last_query;
  std::mutex mu;
  std::map<std::int64_t, IndexedBib> docs;
  std::atomic<std::int64_t> seq{0};
  int applies = 0;
};

class Search : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddBranch("B");
    lib.AddCard("C1");
    lib.AddCard("C2");
  }
  Result<SearchPage> Run(SearchRequest r) {
    return lib.Read([&](SqlTx& tx) { return SearchCatalog(tx, lib.env(), index, r); });
  }
  Library lib;
  FakeIndex index;
};

TEST_F(Search, CountsHoldingsLiveAndPerBranch) {
  auto bib = lib.AddBib("Dream of the Red Chamber", {{"R1", "A"}, {"R2", "A"}, {"R3", "B"}, {"R4", "B", false}});
  index.answer = {bib};
  auto page = Run({});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->hits.size(), 1u);
  auto h = page->hits[0].holdings;
  EXPECT_EQ(h.total, 4);
  EXPECT_EQ(h.available, 3);  // R4 is not for loan
  ASSERT_EQ(h.by_branch.size(), 2u);
  EXPECT_EQ(h.by_branch[0].branch, "A");
  EXPECT_EQ(h.by_branch[0].available, 2);
  EXPECT_EQ(h.by_branch[1].total, 2);
  EXPECT_EQ(h.by_branch[1].available, 1);

  ASSERT_TRUE(lib.Checkout("C1", "R1", "A"));
  h = Run({})->hits[0].holdings;
  EXPECT_EQ(h.available, 2);
  EXPECT_EQ(h.by_branch[0].available, 1);

  // A hold trapping the copy at B takes it off the shelf too.
  ASSERT_TRUE(lib.Checkout("C1", "R2", "A"));
  ASSERT_TRUE(lib.Hold("C2", bib, "B"));
  ASSERT_TRUE(lib.Checkin("R1", "A"));  // trapped for C2, in transit to B
  h = Run({})->hits[0].holdings;
  EXPECT_EQ(h.by_branch[0].available, 0);
  EXPECT_EQ(h.available, 1);
  ASSERT_TRUE(lib.Checkin("R2", "A"));
  EXPECT_EQ(Run({})->hits[0].holdings.available, 2);
}

TEST_F(Search, ShowsRecordFieldsAndAPlaceholderCover) {
  auto bib = lib.AddBib("Title", {});
  index.answer = {bib};
  auto hit = Run({})->hits.at(0);
  EXPECT_EQ(hit.title, "Title");
  EXPECT_EQ(hit.year, 2020);
  EXPECT_EQ(hit.cover_url, PlaceholderCoverPath(bib));
  EXPECT_EQ(hit.holdings.total, 0);
}

TEST_F(Search, DropsHitsWhoseRecordIsGone) {
  auto bib = lib.AddBib("Here", {});
  index.answer = {BibId(999999), bib};
  auto page = Run({});
  ASSERT_EQ(page->hits.size(), 1u);
  EXPECT_EQ(page->hits[0].id, bib);
  EXPECT_EQ(page->total, 2);
}

TEST_F(Search, PagesThroughTheIndex) {
  std::vector<BibId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(lib.AddBib("T" + std::to_string(i), {}));
  index.answer = ids;
  SearchRequest r;
  r.page = 2;
  r.per_page = 2;
  auto page = Run(r);
  EXPECT_EQ(index.last_query.offset, 2u);
  EXPECT_EQ(index.last_query.limit, 2u);
  ASSERT_EQ(page->hits.size(), 2u);
  EXPECT_EQ(page->hits[0].id, ids[2]);
}

TEST_F(Search, ReadsBlankTextAsNoText) {
  SearchRequest r;
  r.query.q = "  \t";
  r.query.title = " 紅樓夢 ";
  ASSERT_TRUE(Run(r));
  EXPECT_EQ(index.last_query.q, "");
  EXPECT_EQ(index.last_query.title, "紅樓夢");
}

TEST_F(Search, RefusesRequestsOutOfRange) {
  struct Row {
    SearchRequest r;
    const char* field;
  };
  SearchRequest page0, big, long_q, years;
  page0.page = 0;
  big.per_page = 101;
  long_q.query.q = std::string(501, 'x');
  years.query.year_from = 2000;
  years.query.year_to = 1990;
  for (const auto& row : std::vector<Row>{{page0, "page"}, {big, "per_page"}, {long_q, "q"}, {years, "year"}}) {
    SCOPED_TRACE(row.field);
    auto p = Run(row.r);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(p.error().field, row.field);
  }
}

TEST_F(Search, CatchUpAppliesTheJournalInOrder) {
  auto a = lib.AddBib("First", {{"X1", "A"}});
  auto b = lib.AddBib("Second", {{"X2", "B"}});
  auto r = CatchUpCatalogIndex(lib.store(), index, 1);
  EXPECT_EQ(r.indexed, 2);
  EXPECT_EQ(index.applies, 2);
  ASSERT_TRUE(index.docs.contains(a.value()));
  EXPECT_EQ(index.docs[a.value()].title, "First");
  EXPECT_EQ(index.docs[b.value()].branches, std::vector<std::string>{"B"});
  // Nothing new: nothing applied.
  EXPECT_EQ(CatchUpCatalogIndex(lib.store(), index).indexed, 0);
  // A deleted record leaves the index.
  lib.Write([&](SqlTx& tx) {
    tx.Exec("DELETE FROM items WHERE bib_id = ?", {a.value()});
    tx.Exec("DELETE FROM bibs WHERE id = ?", {a.value()});
  });
  auto gone = CatchUpCatalogIndex(lib.store(), index);
  EXPECT_EQ(gone.removed, 1);
  EXPECT_FALSE(index.docs.contains(a.value()));
}

TEST_F(Search, RebuildStartsFromOneSnapshot) {
  lib.AddBib("First", {{"X1", "A"}});
  lib.AddBib("Second", {});
  auto n = RebuildCatalogIndex(lib.store(), index);
  EXPECT_EQ(n, 2);
  EXPECT_EQ(index.docs.size(), 2u);
  EXPECT_EQ(index.seq, lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT MAX(seq) FROM catalog_changes")->Int(0); }));
  EXPECT_EQ(CatchUpCatalogIndex(lib.store(), index).indexed, 0);
}

TEST_F(Search, IndexerFollowsChangesWithinASecond) {
  std::vector<std::string> errors;
  CatalogIndexer indexer(
      lib.store(), index, [&](const std::string& e) { errors.push_back(e); }, std::chrono::milliseconds(50));
  auto bib = lib.AddBib("Fresh", {});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(index.mu);
      seen = index.docs.contains(bib.value());
    }
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(seen);
  indexer.Stop();
  EXPECT_TRUE(errors.empty());
}

}  // namespace
}  // namespace bookstamp
