// Catalog import (PRODUCT.md X2, docs/catalog.md "Import"): records from a source (marc/ reads MARC
// files) are upserted in batches — a record is matched by its key, so a re-import updates the
// record and its copies instead of duplicating them; a bad record is refused with its position and
// reason while the rest imports; one audit entry sums up the run.
// Usage:
//   CatalogImporter importer(store, env, Actor::System("cli"), options);
//   for (auto& source : sources) importer.Import(*source, progress);
//   importer.Finish({"a.mrc", "b.xml"});
//   const CatalogImportSummary& s = importer.summary();
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/catalog.hpp"
#include "app/context.hpp"
#include "app/ports/store.hpp"

namespace bookstamp {

// One bibliographic record with its copies, as a source delivers it.
struct CatalogRecord {
  std::string position;  // where it came from, for reports: "uva.mrc record 12 (byte 4567)"
  // Matches re-imports: "(OCoLC)12345" (MARC 003 + 001), "isbn:9780306406157", or "h:<hash>".
  std::string record_key;
  BibInput bib;                    // items: the copies; their `branch` is the source's code (see options)
  std::vector<std::string> isbns;  // every ISBN of the record, cleaned (app/isbn.hpp)
  std::vector<std::string> subjects;
  std::vector<std::string> series;
  std::string language;  // MARC code ("chi", "eng"); empty when unknown
  std::optional<std::string> cover_url;
  std::string title_vernacular, author_vernacular, publisher_vernacular;  // MARC 880
};

struct ImportProblem {
  std::string position;
  std::string reason;
};

// Where records come from. Not thread-safe; used by one import.
class CatalogRecordSource {
 public:
  struct Entry {
    enum class Kind {
      kRecord,   // a record to import
      kRefused,  // a broken record (structure, encoding, no title): skipped and reported
      kIgnored,  // a record that is not bibliographic (authority, holdings): skipped with a note
    };
    Kind kind = Kind::kRecord;
    CatalogRecord record;   // kRecord
    ImportProblem problem;  // kRefused, kIgnored
  };
  virtual ~CatalogRecordSource() = default;
  // The next entry, or nullopt at the end. Throws std::runtime_error when the source cannot be read
  // at all (missing file).
  virtual std::optional<Entry> Next() = 0;
  // Progress: bytes consumed so far, and in all (0 when unknown).
  virtual std::uint64_t BytesRead() const = 0;
  virtual std::uint64_t BytesTotal() const = 0;
};

struct CatalogImportOptions {
  // A copy's branch: branch_map[source code] if present, else the source code itself. When that
  // branch does not exist: created when create_branches (and the code is valid), else
  // default_branch when set, else the copy is skipped and counted in the summary.
  std::map<std::string, std::string> branch_map;
  std::optional<std::string> default_branch;
  bool create_branches = false;
  std::size_t batch_size = 500;  // records per write transaction
};

struct CatalogImportSummary {
  std::int64_t records = 0;  // entries read
  std::int64_t bibs_created = 0, bibs_updated = 0, bibs_unchanged = 0;
  std::int64_t refused = 0;  // broken records skipped
  std::int64_t ignored = 0;  // records that are not bibliographic
  std::int64_t items_created = 0, items_updated = 0, items_unchanged = 0, items_skipped = 0;
  std::vector<ImportProblem> problems;             // refused records, in order
  std::vector<ImportProblem> notes;                // ignored records, in order
  std::map<std::string, std::int64_t> item_skips;  // reason -> copies skipped for it
  std::vector<std::string> branches_created;
};

// Called after every batch (and at the end of a source).
using CatalogImportProgress = std::function<void(const CatalogImportSummary& so_far, const CatalogRecordSource&)>;

class CatalogImporter {
 public:
  CatalogImporter(Store& store, const Env& env, Actor actor, CatalogImportOptions options);

  // Reads `source` to its end, writing in batches. FORBIDDEN unless the actor manages the catalog;
  // otherwise every record ends up counted in the summary. Infrastructure failures throw.
  [[nodiscard]] Result<void> Import(CatalogRecordSource& source, const CatalogImportProgress& progress = {});

  // Appends the audit entry for the whole run ("catalog.import": sources and counts).
  void Finish(const std::vector<std::string>& sources);

  const CatalogImportSummary& summary() const { return summary_; }

 private:
  void WriteBatch(std::vector<CatalogRecord>& batch);

  Store& store_;
  const Env& env_;
  Actor actor_;
  CatalogImportOptions options_;
  CatalogImportSummary summary_;
};

// Writes one record in the caller's transaction (exposed for tests). Counts into `summary`;
// returns the record's id, or a refusal reason (the record is then left unwritten).
std::optional<BibId> UpsertCatalogRecord(SqlTx& tx, const Env& env, const Actor& actor,
                                         const CatalogImportOptions& options, const CatalogRecord& record,
                                         CatalogImportSummary& summary, std::string& refusal);

}  // namespace bookstamp
