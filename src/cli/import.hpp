// `bookstamp import marc`, `bookstamp import patrons` and `bookstamp reindex` (API.md "Command
// line"; docs/catalog.md): a progress bar on a terminal, a summary at the end, every refused record
// with its position and reason.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/store.hpp"

namespace bookstamp {

struct ImportMarcOptions {
  std::vector<std::string> files;
  std::map<std::string, std::string> branch_map;  // --branch-map FROM=TO
  std::optional<std::string> default_branch;
  bool create_branches = false;
  std::size_t batch = 500;
  std::string report;  // --report FILE: every refused and ignored record, CSV
  bool index = true;   // catch the search index up afterwards
};

struct ImportPatronsOptions {
  std::string file;
  bool update_pins = false;
  std::string report;
};

// Exit codes: 0 all imported, 3 finished but some records were refused (see the summary), 1 failure.
int RunImportMarc(Store& store, const Env& env, const std::filesystem::path& search_dir, const ImportMarcOptions& o);
int RunImportPatrons(Store& store, const Env& env, const ImportPatronsOptions& o);
// Rebuilds the search index from the database. 0 on success.
int RunReindex(Store& store, const std::filesystem::path& search_dir);

// "FROM=TO" -> {FROM, TO}; throws std::invalid_argument otherwise.
std::pair<std::string, std::string> ParseBranchMapping(const std::string& text);

}  // namespace bookstamp
