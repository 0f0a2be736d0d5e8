// Catalog search (PRODUCT.md P5, API.md GET /search) and keeping the index in step with the
// database (ARCHITECTURE.md "Search index"): every bib or item change bumps the bib's row in
// catalog_changes (triggers, same transaction); the indexer applies those rows to the index in
// sequence order within a second; a rebuild starts a new generation from a consistent snapshot.
// docs/catalog.md has the whole story.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/context.hpp"
#include "app/ports/catalog_index.hpp"
#include "app/ports/sql.hpp"
#include "app/ports/store.hpp"

namespace bookstamp {

// ---- searching

struct SearchRequest {
  CatalogQuery query;  // offset and limit are set from page and per_page
  int page = 1;        // 1-based
  int per_page = 20;   // 1–100
};

struct BranchHoldings {
  std::string branch;
  int total = 0;
  int available = 0;  // on the shelf and loanable: not on loan, not on the hold shelf, not in transit
};

struct Holdings {
  int total = 0;
  int available = 0;
  std::vector<BranchHoldings> by_branch;  // by branch code
};

struct SearchHit {
  BibId id;
  std::string title, author, publisher, isbn, class_no, language;
  std::optional<int> year;
  std::string cover_url;  // the record's cover, else the generated placeholder (PlaceholderCoverPath)
  std::string title_vernacular, author_vernacular, publisher_vernacular;
  Holdings holdings;
};

struct SearchPage {
  std::int64_t total = 0;
  bool total_exact = true;
  int page = 1, per_page = 20;
  CatalogSort sort = CatalogSort::kRelevance;
  std::vector<SearchHit> hits;
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;
  bool facets_exact = true;
};

// Queries the index, then loads each hit's record and live holdings from the database in `tx`
// (a read transaction). A hit whose record is gone (the index lags by up to a second) is dropped.
// VALIDATION_FAILED (field page, per_page, q, year) for a request out of range.
[[nodiscard]] Result<SearchPage> SearchCatalog(SqlTx& tx, const Env& env, CatalogIndex& index,
                                               const SearchRequest& request);

// "/api/v1/bibs/42/cover": the generated cover of a record that has none of its own.
std::string PlaceholderCoverPath(BibId id);

// What a generated cover shows: title and author, in the original script when the record has it
// (紅樓夢 reads better on a cover than Hong lou meng). BIB_NOT_FOUND when there is no such record.
struct CoverText {
  std::string title, author;
};
[[nodiscard]] Result<CoverText> CoverTextOf(SqlTx& tx, BibId id);

// ---- indexing

// The index's view of these records (absent ids: the record is gone).
std::vector<IndexedBib> LoadIndexedBibs(SqlTx& tx, const std::vector<BibId>& ids);

struct CatchUpResult {
  std::int64_t indexed = 0;  // records replaced
  std::int64_t removed = 0;  // records removed
  std::int64_t seq = 0;      // the index's position now
  bool more = false;         // stopped at max_batches with journal rows left
  bool rebuilt = false;      // the index was in an older format and was rebuilt first
};

// Applies journal rows past the index's position, `batch` records per index commit, until none
// are left (or `max_batches` commits were made). An index in an older format is rebuilt first
// (RebuildCatalogIndex). Throws StoreUnavailable when the index is locked by another process.
CatchUpResult CatchUpCatalogIndex(Store& store, CatalogIndex& index, std::size_t batch = 1000,
                                  std::size_t max_batches = SIZE_MAX);

// Builds a new generation from every record (one read snapshot), then makes it live. Returns the
// number of records indexed. `progress(done, total)` is called now and then.
std::int64_t RebuildCatalogIndex(Store& store, CatalogIndex& index,
                                 const std::function<void(std::int64_t, std::int64_t)>& progress = {});

// A background thread that catches the index up every `poll` (and at once on Nudge()).
// Errors are handed to `on_error` and retried on the next round. Stop() (or the destructor)
// finishes the round in progress and joins.
class CatalogIndexer {
 public:
  CatalogIndexer(Store& store, CatalogIndex& index, std::function<void(const std::string&)> on_error,
                 std::chrono::milliseconds poll = std::chrono::milliseconds(250));
  ~CatalogIndexer();
  CatalogIndexer(const CatalogIndexer&) = delete;
  CatalogIndexer& operator=(const CatalogIndexer&) = delete;

  void Nudge();
  void Stop();
  // Rounds completed (for tests waiting on the indexer).
  std::int64_t rounds() const { return rounds_.load(); }

 private:
  void Run();

  Store& store_;
  CatalogIndex& index_;
  std::function<void(const std::string&)> on_error_;
  std::chrono::milliseconds poll_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool nudged_ = false;    // GUARDED_BY(mu_)
  std::atomic<std::int64_t> rounds_{0};
  std::string last_error_;  // only the indexer thread: repeated errors are reported once
  std::thread thread_;
};

}  // namespace bookstamp
