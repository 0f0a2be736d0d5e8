// Catalog import: batches of upserts keyed by record_key, a retry record by record when a batch
// fails, and one audit entry per run.
#include "app/catalog_import.hpp"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "app/admin.hpp"
#include "app/audit.hpp"
#include "app/authz.hpp"

namespace bookstamp {
namespace {

constexpr std::size_t kMaxTitleBytes = 2000;

std::string JoinLines(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) {
    if (s.empty()) continue;
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

bool ValidBranchCode(const std::string& code) {
  if (code.empty() || code.size() > 16) return false;
  for (char c : code)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

bool BranchExists(SqlTx& tx, const std::string& code) {
  return tx.QueryOne("SELECT 1 FROM branches WHERE code = ?", {code}).has_value();
}

// The branch a copy goes to, or nullopt with the reason it is skipped.
std::optional<std::string> ResolveBranch(SqlTx& tx, const Env& env, const Actor& actor,
                                         const CatalogImportOptions& options, const std::string& source_code,
                                         CatalogImportSummary& summary, std::string& skip) {
  std::string code = source_code;
  if (auto it = options.branch_map.find(source_code); it != options.branch_map.end()) code = it->second;
  if (!code.empty() && BranchExists(tx, code)) return code;
  if (!code.empty() && options.create_branches && ValidBranchCode(code)) {
    auto made = CreateBranch(tx, env, actor, {code, code, false});
    if (made) {
      summary.branches_created.push_back(code);
      return code;
    }
  }
  if (options.default_branch) return *options.default_branch;
  skip = code.empty() ? "no branch" : fmt::format("unknown branch {}", code);
  return std::nullopt;
}

struct BibColumns {
  std::string title, author, publisher, isbn, isbns, class_no, subjects, series, language;
  std::optional<std::int64_t> year;
  std::optional<std::string> cover_url;
  std::string title_v, author_v, publisher_v;
  bool operator==(const BibColumns&) const = default;
};

BibColumns ColumnsOf(const CatalogRecord& r) {
  BibColumns c;
  c.title = r.bib.title;
  c.author = r.bib.author;
  c.publisher = r.bib.publisher;
  c.isbn = r.bib.isbn;
  c.isbns = JoinLines(r.isbns, " ");
  c.class_no = r.bib.class_no;
  c.subjects = JoinLines(r.subjects, "\n");
  c.series = JoinLines(r.series, "\n");
  c.language = r.language;
  if (r.bib.year && *r.bib.year >= 0 && *r.bib.year <= 9999) c.year = *r.bib.year;
  c.cover_url = r.cover_url;
  c.title_v = r.title_vernacular;
  c.author_v = r.author_vernacular;
  c.publisher_v = r.publisher_vernacular;
  return c;
}

constexpr const char* kBibColumns =
    "title, author, publisher, isbn, isbns, class_no, subjects, series, language, year, cover_url, "
    "title_vernacular, author_vernacular, publisher_vernacular";

std::vector<SqlValue> Values(const BibColumns& c) {
  return {c.title,    c.author,       c.publisher,         c.isbn,    c.isbns,    c.class_no,   c.subjects, c.series,
          c.language, SqlOpt(c.year), SqlOpt(c.cover_url), c.title_v, c.author_v, c.publisher_v};
}

BibColumns ColumnsFromRow(const SqlRow& r, std::size_t at) {
  BibColumns c;
  c.title = r.Text(at + 0);
  c.author = r.Text(at + 1);
  c.publisher = r.Text(at + 2);
  c.isbn = r.Text(at + 3);
  c.isbns = r.Text(at + 4);
  c.class_no = r.Text(at + 5);
  c.subjects = r.Text(at + 6);
  c.series = r.Text(at + 7);
  c.language = r.Text(at + 8);
  c.year = r.OptInt(at + 9);
  c.cover_url = r.OptText(at + 10);
  c.title_v = r.Text(at + 11);
  c.author_v = r.Text(at + 12);
  c.publisher_v = r.Text(at + 13);
  return c;
}

void UpsertItems(SqlTx& tx, const Env& env, const Actor& actor, const CatalogImportOptions& options,
                 std::int64_t bib_id, const std::vector<ItemInput>& items, std::int64_t now,
                 CatalogImportSummary& summary) {
  std::set<std::string> seen;
  auto skip = [&](const std::string& why) {
    ++summary.items_skipped;
    ++summary.item_skips[why];
  };
  for (const auto& it : items) {
    if (it.barcode.empty()) {
      skip("no barcode");
      continue;
    }
    if (it.barcode.size() > 64) {
      skip("barcode longer than 64 bytes");
      continue;
    }
    if (!seen.insert(it.barcode).second) {
      skip("barcode repeated in the record");
      continue;
    }
    std::string why;
    auto branch = ResolveBranch(tx, env, actor, options, it.branch, summary, why);
    if (!branch) {
      skip(why);
      continue;
    }
    std::string type = it.item_type.empty() || it.item_type.size() > 32 ? std::string("book") : it.item_type;
    auto existing = tx.QueryOne(
        "SELECT id, bib_id, branch, loanable, item_type, call_number FROM items WHERE barcode = ?", {it.barcode});
    if (!existing) {
      tx.Exec(
          "INSERT INTO items(barcode, bib_id, branch, loanable, item_type, call_number, created_at) "
          "VALUES (?,?,?,?,?,?,?)",
          {it.barcode, bib_id, *branch, std::int64_t{it.loanable}, type, it.call_number, now});
      ++summary.items_created;
      continue;
    }
    if (existing->Int(1) != bib_id) {
      skip("barcode belongs to another record");
      continue;
    }
    if (existing->Text(2) == *branch && (existing->Int(3) != 0) == it.loanable && existing->Text(4) == type &&
        existing->Text(5) == it.call_number) {
      ++summary.items_unchanged;
      continue;
    }
    tx.Exec("UPDATE items SET branch = ?, loanable = ?, item_type = ?, call_number = ? WHERE id = ?",
            {*branch, std::int64_t{it.loanable}, type, it.call_number, existing->Int(0)});
    ++summary.items_updated;
  }
}

void Merge(CatalogImportSummary& into, const CatalogImportSummary& d) {
  into.bibs_created += d.bibs_created;
  into.bibs_updated += d.bibs_updated;
  into.bibs_unchanged += d.bibs_unchanged;
  into.refused += d.refused;
  into.items_created += d.items_created;
  into.items_updated += d.items_updated;
  into.items_unchanged += d.items_unchanged;
  into.items_skipped += d.items_skipped;
  into.problems.insert(into.problems.end(), d.problems.begin(), d.problems.end());
  for (const auto& [k, v] : d.item_skips) into.item_skips[k] += v;
  into.branches_created.insert(into.branches_created.end(), d.branches_created.begin(), d.branches_created.end());
}

}  // namespace

std::optional<BibId> UpsertCatalogRecord(SqlTx& tx, const Env& env, const Actor& actor,
                                         const CatalogImportOptions& options, const CatalogRecord& record,
                                         CatalogImportSummary& summary, std::string& refusal) {
  if (record.bib.title.empty()) {
    refusal = "no title";
    return std::nullopt;
  }
  if (record.bib.title.size() > kMaxTitleBytes) {
    refusal = "title longer than 2000 bytes";
    return std::nullopt;
  }
  auto now = ToMillis(env.Now());
  auto cols = ColumnsOf(record);
  std::optional<std::int64_t> id;
  if (!record.record_key.empty()) {
    auto row =
        tx.QueryOne(fmt::format("SELECT id, {} FROM bibs WHERE record_key = ?", kBibColumns), {record.record_key});
    if (row) {
      id = row->Int(0);
      if (ColumnsFromRow(*row, 1) == cols) {
        ++summary.bibs_unchanged;
      } else {
        auto values = Values(cols);
        values.push_back(now);
        values.push_back(*id);
        tx.Exec(
            "UPDATE bibs SET title = ?, author = ?, publisher = ?, isbn = ?, isbns = ?, class_no = ?, subjects = ?, "
            "series = ?, language = ?, year = ?, cover_url = ?, title_vernacular = ?, author_vernacular = ?, "
            "publisher_vernacular = ?, updated_at = ? WHERE id = ?",
            values);
        ++summary.bibs_updated;
      }
    }
  }
  if (!id) {
    auto values = Values(cols);
    values.push_back(record.record_key.empty() ? SqlValue(nullptr) : SqlValue(record.record_key));
    values.push_back(now);
    values.push_back(now);
    id = tx.Query(fmt::format("INSERT INTO bibs({}, record_key, created_at, updated_at) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                              kBibColumns),
                  values)
             .front()
             .Int(0);
    ++summary.bibs_created;
  }
  UpsertItems(tx, env, actor, options, *id, record.bib.items, now, summary);
  return BibId(*id);
}

CatalogImporter::CatalogImporter(Store& store, const Env& env, Actor actor, CatalogImportOptions options)
    : store_(store), env_(env), actor_(std::move(actor)), options_(std::move(options)) {
  if (options_.batch_size == 0) options_.batch_size = 1;
}

Result<void> CatalogImporter::Import(CatalogRecordSource& source, const CatalogImportProgress& progress) {
  if (auto ok = Authorize(actor_, Permission::kManageCatalog); !ok) return Fail(ok.error());
  if (options_.default_branch) {
    bool exists = false;
    store_.Read([&](SqlTx& tx) { exists = BranchExists(tx, *options_.default_branch); });
    if (!exists) return Fail(ErrorCode::kBranchNotFound);
  }
  std::vector<CatalogRecord> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    WriteBatch(batch);
    batch.clear();
    if (progress) progress(summary_, source);
  };
  while (auto entry = source.Next()) {
    ++summary_.records;
    switch (entry->kind) {
      case CatalogRecordSource::Entry::Kind::kRecord:
        batch.push_back(std::move(entry->record));
        if (batch.size() >= options_.batch_size) flush();
        break;
      case CatalogRecordSource::Entry::Kind::kRefused:
        ++summary_.refused;
        summary_.problems.push_back(std::move(entry->problem));
        break;
      case CatalogRecordSource::Entry::Kind::kIgnored:
        ++summary_.ignored;
        summary_.notes.push_back(std::move(entry->problem));
        break;
    }
  }
  flush();
  if (progress) progress(summary_, source);
  return {};
}

void CatalogImporter::WriteBatch(std::vector<CatalogRecord>& batch) {
  CatalogImportSummary delta;
  try {
    store_.Write([&](SqlTx& tx) {
      delta = {};
      for (const auto& r : batch) {
        std::string refusal;
        if (!UpsertCatalogRecord(tx, env_, actor_, options_, r, delta, refusal)) {
          ++delta.refused;
          delta.problems.push_back({r.position, refusal});
        }
      }
      return TxOutcome::kCommit;
    });
    Merge(summary_, delta);
    return;
  } catch (const StoreUnavailable&) {
    throw;
  } catch (const std::exception&) {
    // One record broke a constraint: write them one by one so only that one is refused.
  }
  for (const auto& r : batch) {
    CatalogImportSummary one;
    try {
      store_.Write([&](SqlTx& tx) {
        one = {};
        std::string refusal;
        if (!UpsertCatalogRecord(tx, env_, actor_, options_, r, one, refusal)) {
          ++one.refused;
          one.problems.push_back({r.position, refusal});
        }
        return TxOutcome::kCommit;
      });
    } catch (const StoreUnavailable&) {
      throw;
    } catch (const std::exception& e) {
      one = {};
      ++one.refused;
      one.problems.push_back({r.position, fmt::format("not stored: {}", e.what())});
    }
    Merge(summary_, one);
  }
}

void CatalogImporter::Finish(const std::vector<std::string>& sources) {
  JsonArray names;
  for (const auto& s : sources) names.push_back(s);
  const auto& s = summary_;
  JsonObject details{{"sources", names},
                     {"records", s.records},
                     {"bibs_created", s.bibs_created},
                     {"bibs_updated", s.bibs_updated},
                     {"bibs_unchanged", s.bibs_unchanged},
                     {"refused", s.refused},
                     {"ignored", s.ignored},
                     {"items_created", s.items_created},
                     {"items_updated", s.items_updated},
                     {"items_skipped", s.items_skipped}};
  store_.Write([&](SqlTx& tx) {
    AppendAudit(tx, env_.Now(), env_.tz, {actor_.label, "catalog.import", "catalog", details});
    return TxOutcome::kCommit;
  });
}

}  // namespace bookstamp
