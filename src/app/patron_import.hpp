// Patron import from CSV (PRODUCT.md X2, docs/catalog.md "Patrons"): columns name,email,card,type,pin.
// A card that exists is updated (name, email, type; the PIN only when asked), never duplicated; a bad
// row is refused with its line and reason while the rest imports; one audit entry sums up the run.
// Usage:
//   auto csv = ParsePatronCsv(text, "patrons.csv");
//   PatronImporter importer(store, env, Actor::System("cli"), {});
//   importer.Import(csv.rows, progress);  // csv.problems are already refused rows
//   importer.Finish({"patrons.csv"});
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/catalog_import.hpp"
#include "app/context.hpp"
#include "app/ports/store.hpp"

namespace bookstamp {

struct PatronRow {
  std::string position;  // "patrons.csv line 12"
  std::string name, email, card, type, pin;
};

struct PatronCsv {
  std::vector<PatronRow> rows;
  std::vector<ImportProblem> problems;  // rows that could not be read (wrong number of columns)
};

// RFC 4180 CSV (quotes, "" escapes, CRLF or LF, a UTF-8 BOM). A first row naming the columns is a
// header and may put them in any order (unknown columns are ignored); without one the order is
// name,email,card,type,pin. Blank lines are skipped.
PatronCsv ParsePatronCsv(std::string_view text, std::string_view source_name);

struct PatronImportOptions {
  bool update_pins = false;      // a re-import sets the PIN of existing cards too
  std::size_t batch_size = 500;  // rows per write transaction
};

struct PatronImportSummary {
  std::int64_t rows = 0;
  std::int64_t created = 0, updated = 0, unchanged = 0, refused = 0;
  std::vector<ImportProblem> problems;
};

using PatronImportProgress = std::function<void(const PatronImportSummary& so_far, std::size_t rows_total)>;

class PatronImporter {
 public:
  PatronImporter(Store& store, const Env& env, Actor actor, PatronImportOptions options);

  // Validates and upserts `rows`. PINs are hashed (argon2id) off the writer thread, several at a
  // time, and identical PINs within one run share one hash. FORBIDDEN unless the actor manages
  // patrons. Infrastructure failures throw.
  [[nodiscard]] Result<void> Import(const std::vector<PatronRow>& rows, const PatronImportProgress& progress = {});
  // Counts rows the CSV parser already refused.
  void AddProblems(const std::vector<ImportProblem>& problems);
  // Appends the audit entry for the run ("patron.import": sources and counts, no personal data).
  void Finish(const std::vector<std::string>& sources);

  const PatronImportSummary& summary() const { return summary_; }

 private:
  Store& store_;
  const Env& env_;
  Actor actor_;
  PatronImportOptions options_;
  PatronImportSummary summary_;
  std::map<std::string, std::string> pin_hashes_;  // PIN -> argon2id hash, this run only
};

}  // namespace bookstamp
