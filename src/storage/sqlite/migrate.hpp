// Schema migrations for SQLite: numbered files src/storage/migrations/sqlite/NNNN_name.sql, embedded
// into the binary at build time (src/storage/embed_migrations.cmake), applied in order on open.
#pragma once
#include <span>
#include <string_view>

#include "storage/sqlite/sqlite_connection.hpp"

namespace bookstamp {

struct SqlMigration {
  int version;            // NNNN of the file name
  std::string_view name;  // the rest of the file name, without ".sql"
  std::string_view sql;   // the file's text; must not hold BEGIN/COMMIT of its own
};

// The migrations built into this binary, in increasing version order.
std::span<const SqlMigration> SqliteMigrations();

// Brings the database up to date: creates schema_migrations(version, name, applied_at) if missing
// and applies each missing migration in order, each in its own BEGIN IMMEDIATE transaction together
// with its schema_migrations row. Safe to run again (already applied versions are skipped) and from
// two processes at once.
// Throws std::runtime_error, changing nothing, when the database holds a version this list does not
// know (a newer binary migrated it). A failing migration rolls back its own transaction and throws
// std::runtime_error naming it (StoreUnavailable for busy/disk errors); the ones before it stay applied.
// REQUIRES: `migrations` strictly increasing by version (else std::logic_error); no open transaction.
void Migrate(SqliteConnection& db, std::span<const SqlMigration> migrations);
inline void Migrate(SqliteConnection& db) { Migrate(db, SqliteMigrations()); }

}  // namespace bookstamp
