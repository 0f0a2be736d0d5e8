// The catalog index port: full-text search over bibliographic records (ARCHITECTURE.md "Search
// index"). search/ implements it with Xapian; app/search.hpp feeds it from the catalog_changes
// journal and answers searches with live holdings from the database. docs/catalog.md has the details.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/strong_id.hpp"

namespace bookstamp {

// What the index holds of one record: the searchable fields and the facet values.
struct IndexedBib {
  BibId id;
  std::string title, author, publisher;
  std::string title_vernacular, author_vernacular, publisher_vernacular;  // 880 (original script)
  std::optional<int> year;
  std::vector<std::string> isbns;  // as catalogued; the index adds the ISBN-13 forms
  std::string class_no;            // "863.57", "I247.5", "PS3537.A426"
  std::vector<std::string> subjects;
  std::vector<std::string> series;
  std::string language;               // MARC code: "chi", "eng"
  std::vector<std::string> branches;  // branch codes holding at least one copy
};

enum class CatalogSort { kRelevance, kYearNewest, kYearOldest };

// A search. Every non-empty field must match (AND); `q` is free text over every field, the others
// look in one field. An empty query (no text, no filters) matches every record.
struct CatalogQuery {
  std::string q;
  std::string title, author, isbn, class_no;  // class_no is a prefix: "863" finds "863.57"
  std::string branch;                         // filters: a copy at this branch
  std::string language;                       // MARC language code
  std::optional<int> year_from, year_to;      // inclusive
  CatalogSort sort = CatalogSort::kRelevance;
  std::size_t offset = 0;
  std::size_t limit = 20;
  bool facets = true;
};

struct FacetValue {
  std::string value;
  std::int64_t count = 0;
};

struct CatalogHits {
  std::int64_t total = 0;  // matching records (exact when total_exact)
  bool total_exact = true;
  std::vector<BibId> ids;  // the requested page, best first
  // "branch", "year", "language": values by count, highest first. Counted over the first
  // `facet_sample` matches examined, exact when facets_exact.
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;
  bool facets_exact = true;
};

// Builds a new generation of the index beside the live one; Finish makes it live at once.
class CatalogIndexBuilder {
 public:
  virtual ~CatalogIndexBuilder() = default;
  virtual void Add(const IndexedBib& bib) = 0;
  // Makes the new generation the live index, positioned at journal sequence `seq`.
  virtual void Finish(std::int64_t seq) = 0;
};

class CatalogIndex {
 public:
  virtual ~CatalogIndex() = default;

  // Thread-safe; many searches may run at once. Throws StoreUnavailable when the index cannot be read.
  virtual CatalogHits Search(const CatalogQuery& query) = 0;

  // The journal sequence (catalog_changes.seq) the index reflects; 0 for a new index.
  // Writing (Apply, Rebuild) is done by one indexer at a time; a second process finds the index
  // locked and gets StoreUnavailable.
  virtual std::int64_t AppliedSeq() = 0;

  // Replaces `upserts`, removes `removals`, and moves the position from `from_seq` to `through_seq`,
  // atomically. Returns false (changing nothing) when the index is no longer at `from_seq` (it was
  // rebuilt meanwhile): the caller reads AppliedSeq() again.
  virtual bool Apply(std::int64_t from_seq, std::int64_t through_seq, const std::vector<IndexedBib>& upserts,
                     const std::vector<BibId>& removals) = 0;

  // Starts a fresh generation; searches keep using the live one until the builder finishes.
  virtual std::unique_ptr<CatalogIndexBuilder> Rebuild() = 0;

  // Documents in the live generation.
  virtual std::int64_t DocCount() = 0;

  // True when the live generation is in an older index format and must be rebuilt (Rebuild)
  // before it can be searched or written; CatchUpCatalogIndex does that.
  virtual bool NeedsRebuild() { return false; }
};

}  // namespace bookstamp
