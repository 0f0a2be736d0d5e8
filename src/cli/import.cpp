// The import and reindex commands: files in, a progress bar while it runs, a summary after.
#include "cli/import.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "app/catalog_import.hpp"
#include "app/crypto.hpp"
#include "app/patron_import.hpp"
#include "app/search.hpp"
#include "marc/marc_source.hpp"
#include "search/xapian_catalog_index.hpp"

namespace bookstamp {
namespace {

using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

// 1234567 -> "1,234,567"
std::string Thousands(std::int64_t n) {
  auto s = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return n < 0 ? "-" + s : s;
}

// One line on stderr, redrawn in place, only when stderr is a terminal and at most ten times a second.
class ProgressBar {
 public:
  ProgressBar() : tty_(isatty(STDERR_FILENO) != 0) {}
  ~ProgressBar() { Done(); }

  void Show(const std::string& label, double fraction, const std::string& detail, bool force = false) {
    if (!tty_) return;
    auto now = SteadyClock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int kWidth = 30;
    fraction = std::clamp(fraction, 0.0, 1.0);
    int filled = static_cast<int>(fraction * kWidth);
    std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(kWidth - filled), '.');
    std::cerr << fmt::format("\r\x1b[2K{} [{}] {:3.0f}%  {}", label, bar, fraction * 100, detail) << std::flush;
    shown_ = true;
  }
  void Done() {
    if (shown_) std::cerr << "\r\x1b[2K" << std::flush;
    shown_ = false;
  }

 private:
  bool tty_;
  bool shown_ = false;
  SteadyClock::time_point last_{};
};

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void WriteReport(const std::string& path,
                 const std::vector<std::pair<std::string, const std::vector<ImportProblem>*>>& lists) {
  if (path.empty()) return;
  std::ofstream out(path);
  out << "position,kind,reason\n";
  for (const auto& [kind, list] : lists)
    for (const auto& p : *list) out << CsvField(p.position) << "," << kind << "," << CsvField(p.reason) << "\n";
  if (!out) throw std::runtime_error("cannot write " + path);
  std::cout << fmt::format("Report of every refused or ignored record: {}\n", path);
}

void PrintProblems(const std::string& title, const std::vector<ImportProblem>& problems, const std::string& report) {
  if (problems.empty()) return;
  constexpr std::size_t kShown = 100;
  std::cout << title << "\n";
  for (std::size_t i = 0; i < std::min(problems.size(), kShown); ++i)
    std::cout << "  " << problems[i].position << ": " << problems[i].reason << "\n";
  if (problems.size() > kShown)
    std::cout << fmt::format("  ... and {} more{}\n", Thousands(static_cast<std::int64_t>(problems.size() - kShown)),
                             report.empty() ? " (--report FILE lists them all)" : "");
}

// Records per index commit when the CLI indexes in bulk (after an import, in a reindex). Xapian
// holds a batch's postings in memory until it writes them, so this bounds the memory: the whole
// command peaks at about 240 MiB for a 1M-record import (docs/BENCHMARKS.md "Catalog search").
constexpr std::size_t kBulkBatch = 20000;

// Xapian also writes its postings out every XAPIAN_FLUSH_THRESHOLD documents (10,000 unless set);
// once per batch is enough. A value set by the user wins. Called before any thread starts reading it.
void UseBulkFlushThreshold() { setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(kBulkBatch).c_str(), 0); }

std::string PeakMemory() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return fmt::format("{} MiB", usage.ru_maxrss / 1024);  // Linux: KiB
}

// Applies the journal to the index unless a running server holds it (then the server does).
void CatchUpIndex(Store& store, const std::filesystem::path& search_dir) {
  auto started = SteadyClock::now();
  try {
    search::XapianCatalogIndex index(search_dir);
    auto r = CatchUpCatalogIndex(store, index, kBulkBatch);
    index.ReleaseWriter();
    if (r.rebuilt) std::cout << "Search index was in an older format: rebuilt from the database.\n";
    std::cout << fmt::format("Search index: {} records indexed, {} removed in {:.1f} s\n", Thousands(r.indexed),
                             Thousands(r.removed), Seconds(started));
    std::cout << fmt::format("  {} records per index commit, peak memory of the command {}\n",
                             Thousands(static_cast<std::int64_t>(kBulkBatch)), PeakMemory());
  } catch (const StoreUnavailable& e) {
    std::cout << fmt::format(
        "Search index not updated here ({}); a running server applies the changes within a second.\n", e.what());
  }
}

}  // namespace

std::pair<std::string, std::string> ParseBranchMapping(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw std::invalid_argument("expected FROM=TO, e.g. ALDERMAN=MAIN");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

int RunImportMarc(Store& store, const Env& env, const std::filesystem::path& search_dir, const ImportMarcOptions& o) {
  if (o.index) UseBulkFlushThreshold();
  CatalogImportOptions options;
  options.branch_map = o.branch_map;
  options.default_branch = o.default_branch;
  options.create_branches = o.create_branches;
  options.batch_size = o.batch;
  CatalogImporter importer(store, env, Actor::System("cli"), options);
  auto started = SteadyClock::now();
  ProgressBar bar;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    const auto& path = o.files[i];
    marc::MarcSource source(marc::MarcReader::OpenFile(path));
    auto name = std::filesystem::path(path).filename().string();
    auto label = o.files.size() > 1 ? fmt::format("{} ({}/{})", name, i + 1, o.files.size()) : name;
    auto file_started = SteadyClock::now();
    auto before = importer.summary().records;
    auto result = importer.Import(source, [&](const CatalogImportSummary& s, const CatalogRecordSource& src) {
      auto total = src.BytesTotal();
      double fraction = total ? static_cast<double>(src.BytesRead()) / static_cast<double>(total) : 0;
      auto done = s.records - before;
      auto rate = done / std::max(Seconds(file_started), 0.001);
      bar.Show(label, fraction,
               fmt::format("{} records  {}/s  {} refused", Thousands(done), Thousands(static_cast<std::int64_t>(rate)),
                           Thousands(s.refused)));
    });
    if (!result) {
      bar.Done();
      std::cerr << fmt::format("import marc: {}\n", ToString(result.error().code));
      return 1;
    }
    names.push_back(name);
  }
  bar.Done();
  importer.Finish(names);
  const auto& s = importer.summary();
  auto secs = Seconds(started);
  std::cout << fmt::format("Imported {} file{} in {:.1f} s ({} records/s)\n", o.files.size(),
                           o.files.size() == 1 ? "" : "s", secs,
                           Thousands(static_cast<std::int64_t>(s.records / std::max(secs, 0.001))));
  std::cout << fmt::format("  records read     {:>10}\n", Thousands(s.records));
  std::cout << fmt::format("  created          {:>10}\n", Thousands(s.bibs_created));
  std::cout << fmt::format("  updated          {:>10}\n", Thousands(s.bibs_updated));
  std::cout << fmt::format("  unchanged        {:>10}\n", Thousands(s.bibs_unchanged));
  std::cout << fmt::format("  refused          {:>10}\n", Thousands(s.refused));
  std::cout << fmt::format("  not bibliographic{:>10}  (skipped)\n", Thousands(s.ignored));
  std::cout << fmt::format("  copies: {} created, {} updated, {} unchanged, {} skipped\n", Thousands(s.items_created),
                           Thousands(s.items_updated), Thousands(s.items_unchanged), Thousands(s.items_skipped));
  bool unknown_branch = false;
  for (const auto& [why, n] : s.item_skips) {
    std::cout << fmt::format("    {}: {}\n", why, Thousands(n));
    unknown_branch |= why.starts_with("unknown branch");
  }
  if (unknown_branch)
    std::cout
        << "    (--create-branches adds them, --branch-map FROM=TO maps them, --default-branch CODE takes the rest)\n";
  if (!s.branches_created.empty()) {
    std::string list;
    for (const auto& b : s.branches_created) list += (list.empty() ? "" : ", ") + b;
    std::cout << "  branches created: " << list << "\n";
  }
  PrintProblems("Refused records:", s.problems, o.report);
  if (!s.notes.empty() && s.notes.size() <= 5) PrintProblems("Skipped records:", s.notes, o.report);
  WriteReport(o.report, {{"refused", &s.problems}, {"ignored", &s.notes}});
  if (o.index) CatchUpIndex(store, search_dir);
  return s.refused > 0 ? 3 : 0;
}

int RunImportPatrons(Store& store, const Env& env, const ImportPatronsOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    std::cerr << "import patrons: cannot open " << o.file << "\n";
    return 1;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto name = std::filesystem::path(o.file).filename().string();
  auto csv = ParsePatronCsv(text, name);
  PatronImportOptions options;
  options.update_pins = o.update_pins;
  PatronImporter importer(store, env, Actor::System("cli"), options);
  importer.AddProblems(csv.problems);
  auto started = SteadyClock::now();
  ProgressBar bar;
  auto result = importer.Import(csv.rows, [&](const PatronImportSummary& s, std::size_t total) {
    auto done = s.rows - static_cast<std::int64_t>(csv.problems.size());
    bar.Show(name, total ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
             fmt::format("{} of {} rows  {} refused", Thousands(done), Thousands(static_cast<std::int64_t>(total)),
                         Thousands(s.refused)));
  });
  bar.Done();
  if (!result) {
    std::cerr << fmt::format("import patrons: {}\n", ToString(result.error().code));
    return 1;
  }
  importer.Finish({name});
  const auto& s = importer.summary();
  std::cout << fmt::format("Imported {} in {:.1f} s\n", name, Seconds(started));
  std::cout << fmt::format("  rows read  {:>10}\n", Thousands(s.rows));
  std::cout << fmt::format("  created    {:>10}\n", Thousands(s.created));
  std::cout << fmt::format("  updated    {:>10}\n", Thousands(s.updated));
  std::cout << fmt::format("  unchanged  {:>10}\n", Thousands(s.unchanged));
  std::cout << fmt::format("  refused    {:>10}\n", Thousands(s.refused));
  PrintProblems("Refused rows:", s.problems, o.report);
  WriteReport(o.report, {{"refused", &s.problems}});
  return s.refused > 0 ? 3 : 0;
}

int RunReindex(Store& store, const std::filesystem::path& search_dir) {
  UseBulkFlushThreshold();
  auto started = SteadyClock::now();
  search::XapianCatalogIndex index(search_dir);
  ProgressBar bar;
  auto n = RebuildCatalogIndex(store, index, [&](std::int64_t done, std::int64_t total) {
    bar.Show("reindex", total ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
             fmt::format("{} of {} records", Thousands(done), Thousands(total)));
  });
  bar.Done();
  std::cout << fmt::format("Search index rebuilt: {} records in {:.1f} s, peak memory {}\n", Thousands(n),
                           Seconds(started), PeakMemory());
  // Changes made while it was built (a server may be running and will apply them too).
  try {
    auto r = CatchUpCatalogIndex(store, index, kBulkBatch);
    index.ReleaseWriter();
    if (r.indexed + r.removed > 0)
      std::cout << fmt::format("  then {} changes made meanwhile\n", Thousands(r.indexed + r.removed));
  } catch (const StoreUnavailable&) {
    // A running server holds the index: it switches to the new generation and catches up itself.
  }
  return 0;
}

}  // namespace bookstamp
