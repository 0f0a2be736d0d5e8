// Patron import: CSV parsing, validation, PIN hashing in parallel, batched upserts by card number.
#include "app/patron_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/crypto.hpp"

namespace bookstamp {
namespace {

// Splits CSV text into rows of fields; each row remembers the line it starts on.
struct CsvRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

std::vector<CsvRow> SplitCsv(std::string_view text, std::vector<std::size_t>& unterminated) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  std::size_t line = 1;
  row.line = 1;
  bool quoted = false, field_started = false, row_has_content = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    if (row_has_content) rows.push_back(std::move(row));
    row = CsvRow{};
    row_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
      row_has_content = true;
    } else if (c == ',') {
      end_field();
      row_has_content = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line;
      row.line = line;
    } else {
      field.push_back(c);
      field_started = true;
      if (c != ' ' && c != '\t') row_has_content = true;
    }
  }
  if (quoted) unterminated.push_back(row.line);
  end_row();
  return rows;
}

std::string Trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Why a row cannot be imported, or "" when it can. `exists`: the card is already there.
std::string RowProblem(const PatronRow& r, bool exists, bool needs_pin) {
  if (r.card.empty() || r.card.size() > 32) return "card: 1–32 characters";
  if (r.name.empty() || r.name.size() > 200) return "name: 1–200 characters";
  if (!r.email.empty() && (r.email.size() > 254 || r.email.find('@') == std::string::npos))
    return "email: not an e-mail address";
  if (!r.type.empty() && !CardTypeFromString(Lower(r.type))) return "type: personal, family or group";
  if (!exists && r.pin.empty()) return "pin: required for a new card";
  if (needs_pin && !r.pin.empty() && (r.pin.size() < 4 || r.pin.size() > 128)) return "pin: 4–128 characters";
  return {};
}

}  // namespace

PatronCsv ParsePatronCsv(std::string_view text, std::string_view source_name) {
  PatronCsv out;
  std::vector<std::size_t> unterminated;
  auto rows = SplitCsv(text, unterminated);
  static const std::vector<std::string> kColumns{"name", "email", "card", "type", "pin"};
  std::vector<int> column_of(kColumns.size());
  for (std::size_t i = 0; i < kColumns.size(); ++i) column_of[i] = static_cast<int>(i);
  std::size_t first = 0;
  std::size_t width = kColumns.size();
  if (!rows.empty()) {
    std::map<std::string, int> header;
    for (std::size_t i = 0; i < rows[0].fields.size(); ++i)
      header[Lower(Trim(rows[0].fields[i]))] = static_cast<int>(i);
    if (header.contains("card") && header.contains("name")) {
      first = 1;
      width = rows[0].fields.size();
      for (std::size_t i = 0; i < kColumns.size(); ++i) {
        auto it = header.find(kColumns[i]);
        column_of[i] = it == header.end() ? -1 : it->second;
      }
    }
  }
  for (std::size_t r = first; r < rows.size(); ++r) {
    const auto& row = rows[r];
    auto position = fmt::format("{} line {}", source_name, row.line);
    if (row.fields.size() != width) {
      out.problems.push_back({position, fmt::format("{} columns, expected {}", row.fields.size(), width)});
      continue;
    }
    auto get = [&](std::size_t i) { return column_of[i] < 0 ? std::string() : Trim(row.fields[column_of[i]]); };
    out.rows.push_back({position, get(0), get(1), get(2), Lower(get(3)), get(4)});
  }
  for (auto line : unterminated)
    out.problems.push_back({fmt::format("{} line {}", source_name, line), "quoted field not closed"});
  return out;
}

PatronImporter::PatronImporter(Store& store, const Env& env, Actor actor, PatronImportOptions options)
    : store_(store), env_(env), actor_(std::move(actor)), options_(options) {
  if (options_.batch_size == 0) options_.batch_size = 1;
}

void PatronImporter::AddProblems(const std::vector<ImportProblem>& problems) {
  summary_.rows += static_cast<std::int64_t>(problems.size());
  summary_.refused += static_cast<std::int64_t>(problems.size());
  summary_.problems.insert(summary_.problems.end(), problems.begin(), problems.end());
}

Result<void> PatronImporter::Import(const std::vector<PatronRow>& rows, const PatronImportProgress& progress) {
  if (auto ok = Authorize(actor_, Permission::kManageCatalog); !ok) return Fail(ok.error());
  for (std::size_t start = 0; start < rows.size(); start += options_.batch_size) {
    auto end = std::min(rows.size(), start + options_.batch_size);
    // Which cards exist decides which rows need a PIN hash; hashing happens before the write so the
    // writer thread never waits for argon2id.
    std::set<std::string> existing;
    store_.Read([&](SqlTx& tx) {
      for (std::size_t i = start; i < end; ++i)
        if (tx.QueryOne("SELECT 1 FROM cards WHERE number = ?", {rows[i].card})) existing.insert(rows[i].card);
    });
    std::vector<std::string> to_hash;
    for (std::size_t i = start; i < end; ++i) {
      const auto& r = rows[i];
      bool exists = existing.contains(r.card);
      bool needs_pin = !exists || options_.update_pins;
      if (needs_pin && !r.pin.empty() && RowProblem(r, exists, needs_pin).empty() && !pin_hashes_.contains(r.pin) &&
          std::find(to_hash.begin(), to_hash.end(), r.pin) == to_hash.end())
        to_hash.push_back(r.pin);
    }
    for (std::size_t h = 0; h < to_hash.size(); h += crypto::kMaxConcurrentHashes) {
      std::vector<std::future<std::string>> running;
      auto stop = std::min(to_hash.size(), h + crypto::kMaxConcurrentHashes);
      for (std::size_t k = h; k < stop; ++k)
        running.push_back(std::async(std::launch::async, [pin = to_hash[k]] { return crypto::HashPassword(pin); }));
      for (std::size_t k = h; k < stop; ++k) pin_hashes_[to_hash[k]] = running[k - h].get();
    }

    PatronImportSummary delta;
    store_.Write([&](SqlTx& tx) {
      delta = {};
      auto now = ToMillis(env_.Now());
      for (std::size_t i = start; i < end; ++i) {
        const auto& r = rows[i];
        ++delta.rows;
        auto card = tx.QueryOne("SELECT patron_id, type FROM cards WHERE number = ?", {r.card});
        bool exists = card.has_value();
        bool needs_pin = !exists || options_.update_pins;
        auto problem = RowProblem(r, exists, needs_pin);
        if (problem.empty() && needs_pin && !r.pin.empty() && !pin_hashes_.contains(r.pin))
          problem = "pin: not hashed";  // the card appeared between the read and this write
        if (!problem.empty()) {
          ++delta.refused;
          delta.problems.push_back({r.position, problem});
          continue;
        }
        std::string type = r.type.empty() ? "personal" : r.type;
        SqlValue email = r.email.empty() ? SqlValue(nullptr) : SqlValue(r.email);
        if (!exists) {
          auto id = tx.QueryOne("INSERT INTO patrons(name, email, created_at) VALUES (?,?,?) RETURNING id",
                                {r.name, email, now})
                        ->Int(0);
          tx.Exec(
              "INSERT INTO cards(number, patron_id, type, status, pin_hash, created_at) VALUES (?,?,?,'active',?,?)",
              {r.card, id, type, pin_hashes_.at(r.pin), now});
          ++delta.created;
          continue;
        }
        auto patron_id = card->Int(0);
        bool changed = false;
        if (r.type.empty()) type = card->Text(1);
        changed |= tx.Exec("UPDATE patrons SET name = ?, email = ? WHERE id = ? AND (name IS NOT ? OR email IS NOT ?)",
                           {r.name, email, patron_id, r.name, email}) > 0;
        changed |= tx.Exec("UPDATE cards SET type = ? WHERE number = ? AND type <> ?", {type, r.card, type}) > 0;
        if (options_.update_pins && !r.pin.empty())
          changed |= tx.Exec("UPDATE cards SET pin_hash = ? WHERE number = ?", {pin_hashes_.at(r.pin), r.card}) > 0;
        ++(changed ? delta.updated : delta.unchanged);
      }
      return TxOutcome::kCommit;
    });
    summary_.rows += delta.rows;
    summary_.created += delta.created;
    summary_.updated += delta.updated;
    summary_.unchanged += delta.unchanged;
    summary_.refused += delta.refused;
    summary_.problems.insert(summary_.problems.end(), delta.problems.begin(), delta.problems.end());
    if (progress) progress(summary_, rows.size());
  }
  return {};
}

void PatronImporter::Finish(const std::vector<std::string>& sources) {
  JsonArray names;
  for (const auto& s : sources) names.push_back(s);
  JsonObject details{{"sources", names},
                     {"rows", summary_.rows},
                     {"created", summary_.created},
                     {"updated", summary_.updated},
                     {"unchanged", summary_.unchanged},
                     {"refused", summary_.refused}};
  store_.Write([&](SqlTx& tx) {
    AppendAudit(tx, env_.Now(), env_.tz, {actor_.label, "patron.import", "patrons", details});
    return TxOutcome::kCommit;
  });
}

}  // namespace bookstamp
