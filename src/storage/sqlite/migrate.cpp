// Applies the embedded schema migrations (migrate.hpp).
#include "storage/sqlite/migrate.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace bookstamp {
namespace {

std::set<std::int64_t> AppliedVersions(SqliteConnection& db) {
  std::set<std::int64_t> versions;
  for (const SqlRow& row : db.Query("SELECT version FROM schema_migrations")) versions.insert(row.Int(0));
  return versions;
}

}  // namespace

void Migrate(SqliteConnection& db, std::span<const SqlMigration> migrations) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw std::logic_error(
          fmt::format("migrations out of order: {} after {}", migrations[i].version, migrations[i - 1].version));
    }
  }

  db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");

  const std::set<std::int64_t> applied = AppliedVersions(db);
  const int known = migrations.empty() ? 0 : migrations.back().version;
  for (const std::int64_t version : applied) {
    const bool is_known = std::ranges::any_of(migrations, [&](const SqlMigration& m) { return m.version == version; });
    if (!is_known) {
      throw std::runtime_error(
          fmt::format("the database has schema migration {} which this binary does not know (it knows up to {}); "
                      "it was written by a newer bookstamp: refusing to open it",
                      version, known));
    }
  }

  for (const SqlMigration& m : migrations) {
    if (applied.contains(m.version)) continue;
    SqliteTransaction tx(db, SqliteTransaction::Kind::kImmediate);
    // Another process may have applied it between our read and our write lock.
    if (!db.Query("SELECT 1 FROM schema_migrations WHERE version = ?", std::vector<SqlValue>{std::int64_t{m.version}})
             .empty()) {
      continue;
    }
    try {
      db.ExecScript(m.sql);
    } catch (const StoreUnavailable&) {
      throw;
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("schema migration {:04}_{} failed: {}", m.version, m.name, e.what()));
    }
    db.Exec(
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        std::vector<SqlValue>{std::int64_t{m.version}, std::string(m.name)});
    tx.Commit();
    spdlog::info("applied schema migration {:04}_{}", m.version, m.name);
  }
}

}  // namespace bookstamp
