// Catalog search with live holdings, and the indexer that follows the catalog_changes journal.
#include "app/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "app/repo.hpp"

namespace bookstamp {
namespace {

constexpr int kMaxPerPage = 100;
constexpr int kMaxPage = 10000;
constexpr std::size_t kMaxTextBytes = 500;

std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

std::vector<std::string> SplitNonEmpty(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Runs `fn(chunk)` over `ids` in slices small enough for one IN (...) list.
template <class F>
void InChunks(const std::vector<BibId>& ids, F fn) {
  constexpr std::size_t kChunk = 500;
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    std::vector<SqlValue> chunk;
    for (std::size_t j = i; j < std::min(ids.size(), i + kChunk); ++j) chunk.emplace_back(ids[j].value());
    fn(chunk);
  }
}

}  // namespace

std::string PlaceholderCoverPath(BibId id) { return fmt::format("/api/v1/bibs/{}/cover", id.value()); }

Result<CoverText> CoverTextOf(SqlTx& tx, BibId id) {
  auto row =
      tx.QueryOne("SELECT title, author, title_vernacular, author_vernacular FROM bibs WHERE id = ?", {id.value()});
  if (!row) return Fail(ErrorCode::kBibNotFound);
  return CoverText{row->Text(2).empty() ? row->Text(0) : row->Text(2),
                   row->Text(3).empty() ? row->Text(1) : row->Text(3)};
}

Result<SearchPage> SearchCatalog(SqlTx& tx, const Env& env, CatalogIndex& index, const SearchRequest& request) {
  if (request.page < 1 || request.page > kMaxPage) return Fail(DomainError::Invalid("page", "1–10000"));
  if (request.per_page < 1 || request.per_page > kMaxPerPage) return Fail(DomainError::Invalid("per_page", "1–100"));
  const auto& q = request.query;
  for (auto [name, text] : {std::pair<const char*, const std::string*>{"q", &q.q},
                            {"title", &q.title},
                            {"author", &q.author},
                            {"isbn", &q.isbn},
                            {"class", &q.class_no}})
    if (text->size() > kMaxTextBytes) return Fail(DomainError::Invalid(name, "at most 500 bytes"));
  if (q.year_from && q.year_to && *q.year_from > *q.year_to) return Fail(DomainError::Invalid("year", "from > to"));

  CatalogQuery query = q;
  // Blank text is no text: "  " asks for nothing in particular.
  for (auto* text :
       {&query.q, &query.title, &query.author, &query.isbn, &query.class_no, &query.branch, &query.language}) {
    auto b = text->find_first_not_of(" \t\r\n");
    *text = b == std::string::npos ? std::string() : text->substr(b, text->find_last_not_of(" \t\r\n") - b + 1);
  }
  query.offset = static_cast<std::size_t>(request.page - 1) * static_cast<std::size_t>(request.per_page);
  query.limit = static_cast<std::size_t>(request.per_page);
  auto found = index.Search(query);

  SearchPage page;
  page.total = found.total;
  page.total_exact = found.total_exact;
  page.page = request.page;
  page.per_page = request.per_page;
  page.sort = q.sort;
  page.facets = std::move(found.facets);
  page.facets_exact = found.facets_exact;
  if (found.ids.empty()) return page;

  // The records and their live holdings per branch in one statement (a page is at most 100 ids).
  // Available means what GetBib calls "available": loanable, no open loan, not trapped for a hold
  // (in transit, or on the hold shelf until its pickup day has passed).
  std::map<BibId, SearchHit> loaded;
  InChunks(found.ids, [&](std::vector<SqlValue> chunk) {
    auto sql = fmt::format(
        "SELECT b.id, b.title, b.author, b.publisher, b.year, b.isbn, b.class_no, b.language, b.cover_url, "
        " b.title_vernacular, b.author_vernacular, b.publisher_vernacular, i.branch, COUNT(i.id), "
        " SUM(CASE WHEN i.loanable = 1 "
        "  AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL) "
        "  AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.item_id = i.id AND (h.status = 'in_transit' "
        "       OR (h.status = 'ready' AND h.pickup_by >= ?))) THEN 1 ELSE 0 END) "
        "FROM bibs b LEFT JOIN items i ON i.bib_id = b.id WHERE b.id IN ({}) "
        "GROUP BY b.id, i.branch ORDER BY b.id, i.branch",
        Placeholders(chunk.size()));
    chunk.insert(chunk.begin(), repo::DateValue(env.Today()));
    for (const auto& r : tx.Query(sql, chunk)) {
      BibId id(r.Int(0));
      auto it = loaded.find(id);
      if (it == loaded.end()) {
        SearchHit h;
        h.id = id;
        h.title = r.Text(1);
        h.author = r.Text(2);
        h.publisher = r.Text(3);
        if (auto y = r.OptInt(4)) h.year = static_cast<int>(*y);
        h.isbn = r.Text(5);
        h.class_no = r.Text(6);
        h.language = r.Text(7);
        auto cover = r.OptText(8);
        h.cover_url = cover && !cover->empty() ? *cover : PlaceholderCoverPath(h.id);
        h.title_vernacular = r.Text(9);
        h.author_vernacular = r.Text(10);
        h.publisher_vernacular = r.Text(11);
        it = loaded.emplace(id, std::move(h)).first;
      }
      auto branch = r.OptText(12);
      if (!branch) continue;  // no copies
      BranchHoldings bh{*branch, static_cast<int>(r.Int(13)), static_cast<int>(r.Int(14))};
      auto& holdings = it->second.holdings;
      holdings.total += bh.total;
      holdings.available += bh.available;
      holdings.by_branch.push_back(std::move(bh));
    }
  });
  for (auto id : found.ids) {
    auto it = loaded.find(id);
    if (it == loaded.end()) continue;
    page.hits.push_back(std::move(it->second));
  }
  return page;
}

std::vector<IndexedBib> LoadIndexedBibs(SqlTx& tx, const std::vector<BibId>& ids) {
  std::vector<IndexedBib> out;
  std::map<std::int64_t, std::size_t> at;
  InChunks(ids, [&](const std::vector<SqlValue>& chunk) {
    auto sql = fmt::format(
        "SELECT id, title, author, publisher, year, isbn, isbns, class_no, subjects, series, language, "
        "title_vernacular, author_vernacular, publisher_vernacular FROM bibs WHERE id IN ({}) ORDER BY id",
        Placeholders(chunk.size()));
    for (const auto& r : tx.Query(sql, chunk)) {
      IndexedBib b;
      b.id = BibId(r.Int(0));
      b.title = r.Text(1);
      b.author = r.Text(2);
      b.publisher = r.Text(3);
      if (auto y = r.OptInt(4)) b.year = static_cast<int>(*y);
      auto isbn = r.Text(5);
      b.isbns = SplitNonEmpty(r.Text(6), ' ');
      if (!isbn.empty() && std::find(b.isbns.begin(), b.isbns.end(), isbn) == b.isbns.end())
        b.isbns.insert(b.isbns.begin(), isbn);
      b.class_no = r.Text(7);
      b.subjects = SplitNonEmpty(r.Text(8), '\n');
      b.series = SplitNonEmpty(r.Text(9), '\n');
      b.language = r.Text(10);
      b.title_vernacular = r.Text(11);
      b.author_vernacular = r.Text(12);
      b.publisher_vernacular = r.Text(13);
      at[b.id.value()] = out.size();
      out.push_back(std::move(b));
    }
    auto sql_items =
        fmt::format("SELECT DISTINCT bib_id, branch FROM items WHERE bib_id IN ({}) ORDER BY bib_id, branch",
                    Placeholders(chunk.size()));
    for (const auto& r : tx.Query(sql_items, chunk))
      if (auto it = at.find(r.Int(0)); it != at.end()) out[it->second].branches.push_back(r.Text(1));
  });
  return out;
}

CatchUpResult CatchUpCatalogIndex(Store& store, CatalogIndex& index, std::size_t batch, std::size_t max_batches) {
  CatchUpResult result;
  if (batch == 0) batch = 1;
  if (index.NeedsRebuild()) {
    RebuildCatalogIndex(store, index);
    result.rebuilt = true;
  }
  for (std::size_t round = 0;; ++round) {
    auto from = index.AppliedSeq();
    result.seq = from;
    if (round >= max_batches) {
      result.more = true;
      return result;
    }
    std::vector<BibId> ids;
    std::int64_t through = from;
    std::vector<IndexedBib> upserts;
    store.Read([&](SqlTx& tx) {
      for (const auto& r : tx.Query("SELECT bib_id, seq FROM catalog_changes WHERE seq > ? ORDER BY seq LIMIT ?",
                                    {from, static_cast<std::int64_t>(batch)})) {
        ids.emplace_back(r.Int(0));
        through = r.Int(1);
      }
      // Loaded in the same snapshot as the journal rows, so the documents are at least as new.
      if (!ids.empty()) upserts = LoadIndexedBibs(tx, ids);
    });
    if (ids.empty()) return result;
    std::set<std::int64_t> present;
    for (const auto& b : upserts) present.insert(b.id.value());
    std::vector<BibId> removals;
    for (auto id : ids)
      if (!present.contains(id.value())) removals.push_back(id);
    if (!index.Apply(from, through, upserts, removals)) continue;  // rebuilt meanwhile: start again
    result.indexed += static_cast<std::int64_t>(upserts.size());
    result.removed += static_cast<std::int64_t>(removals.size());
    result.seq = through;
  }
  return result;
}

std::int64_t RebuildCatalogIndex(Store& store, CatalogIndex& index,
                                 const std::function<void(std::int64_t, std::int64_t)>& progress) {
  auto builder = index.Rebuild();
  std::int64_t done = 0, seq = 0;
  // One read transaction: the records and the journal position come from the same snapshot, so
  // changes after it are exactly the journal rows past `seq`.
  store.Read([&](SqlTx& tx) {
    seq = tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM catalog_changes")->Int(0);
    auto total = tx.QueryOne("SELECT COUNT(*) FROM bibs")->Int(0);
    if (progress) progress(0, total);
    std::int64_t after = 0;
    for (;;) {
      std::vector<BibId> ids;
      for (const auto& r : tx.Query("SELECT id FROM bibs WHERE id > ? ORDER BY id LIMIT 2000", {after}))
        ids.emplace_back(r.Int(0));
      if (ids.empty()) break;
      after = ids.back().value();
      for (const auto& b : LoadIndexedBibs(tx, ids)) builder->Add(b);
      done += static_cast<std::int64_t>(ids.size());
      if (progress) progress(done, total);
    }
  });
  builder->Finish(seq);
  return done;
}

CatalogIndexer::CatalogIndexer(Store& store, CatalogIndex& index, std::function<void(const std::string&)> on_error,
                               std::chrono::milliseconds poll)
    : store_(store), index_(index), on_error_(std::move(on_error)), poll_(poll) {
  thread_ = std::thread([this] { Run(); });
}

CatalogIndexer::~CatalogIndexer() { Stop(); }

void CatalogIndexer::Nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void CatalogIndexer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CatalogIndexer::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    nudged_ = false;
    lock.unlock();
    bool more = false;
    try {
      // A few batches per round, so Stop() never waits for a long backlog.
      more = CatchUpCatalogIndex(store_, index_, 1000, 20).more;
      last_error_.clear();
    } catch (const std::exception& e) {
      // The same failure every 250 ms (a locked index, say) is reported once until it changes.
      if (e.what() != last_error_ && on_error_) on_error_(e.what());
      last_error_ = e.what();
    }
    ++rounds_;
    lock.lock();
    if (!more) cv_.wait_for(lock, poll_, [&] { return stopping_ || nudged_; });
  }
}

}  // namespace bookstamp
