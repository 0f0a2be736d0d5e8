// The catalog index on Xapian (ARCHITECTURE.md "Search index"; docs/catalog.md "Index").
// On disk: DIR/CURRENT names the live generation, DIR/gen-NNNNNN/ is a Xapian database that
// records its term scheme's version in the metadata key "format". A rebuild
// writes the next generation beside the live one and switches CURRENT (an atomic rename); searches
// and the writer follow the switch, in this process or another (a `bookstamp reindex` while a
// server runs). Thread-safe: searches run concurrently, each on a database handle of its own from
// a pool; writes are serialized.
// Usage:
//   XapianCatalogIndex index("data/search");
//   CatalogHits hits = index.Search({.q = "紅樓夢"});
#pragma once
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/ports/catalog_index.hpp"
#include "search/text_fold.hpp"

namespace Xapian {
class Database;
class WritableDatabase;
class Document;
}  // namespace Xapian

namespace bookstamp::search {

struct XapianIndexOptions {
  std::string opencc_dir = "/usr/share/opencc";
  // Matches examined for facet counts (and an exact total); beyond that both are estimates.
  // Each examined match costs about half a microsecond plus the read of its facet value, and
  // Xapian ranks without pruning until this many were seen, so this bounds a common word's query
  // (docs/BENCHMARKS.md "Catalog search": at 1M records, 2,000 takes a quarter less server CPU
  // per query than 5,000, and 5,000 served 1.6x the queries of 20,000).
  std::size_t facet_sample = 2000;
};

class XapianCatalogIndex final : public CatalogIndex {
 public:
  // Opens the index in `dir`, creating an empty one when there is none. Throws std::runtime_error
  // when the directory cannot be made or the text tables cannot be loaded.
  explicit XapianCatalogIndex(std::filesystem::path dir, XapianIndexOptions options = {});
  ~XapianCatalogIndex() override;

  CatalogHits Search(const CatalogQuery& query) override;
  std::int64_t AppliedSeq() override;
  bool Apply(std::int64_t from_seq, std::int64_t through_seq, const std::vector<IndexedBib>& upserts,
             const std::vector<BibId>& removals) override;
  std::unique_ptr<CatalogIndexBuilder> Rebuild() override;
  std::int64_t DocCount() override;
  // True when the live generation was written in an older term scheme (its "format" metadata):
  // it is not searched (StoreUnavailable) or written until a rebuild replaces it.
  bool NeedsRebuild() override;

  // Lets go of the write lock (the CLI, after catching up, so a server can take it).
  void ReleaseWriter();

  // The document of a record (exposed for tests of the term scheme).
  Xapian::Document MakeDocument(const IndexedBib& bib) const;
  const TextFolder& folder() const { return folder_; }

 private:
  class Builder;
  struct Reader;

  std::string CurrentGeneration() const;
  void SwitchTo(const std::string& generation);
  Xapian::WritableDatabase& Writer();  // REQUIRES: write_mu_ held
  std::unique_ptr<Reader> AcquireReader();
  void ReleaseReader(std::unique_ptr<Reader> r);

  std::filesystem::path dir_;
  XapianIndexOptions options_;
  TextFolder folder_;

  std::mutex write_mu_;
  std::unique_ptr<Xapian::WritableDatabase> writer_;  // GUARDED_BY(write_mu_)
  std::string writer_generation_;                     // GUARDED_BY(write_mu_)

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Reader>> idle_readers_;  // GUARDED_BY(readers_mu_)
};

// Class numbers as indexed and searched: upper case, no spaces, slashes or apostrophes.
std::string NormalizeClassNumber(std::string_view text);

}  // namespace bookstamp::search
