// Verified online backups of the SQLite database (docs/operations.md "Backup"): a consistent copy
// taken through the backup API while the server runs (storage/sqlite/backup.hpp), then checked on
// the copy itself before it is reported good.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "app/ports/sql.hpp"

namespace bookstamp {

// Application checks run on the copy, in a read transaction (e.g. the audit chain and the ledger).
// Throw (any std::exception) to reject the copy; the message is reported.
using BackupCheck = std::function<void(SqlTx& tx)>;

struct SqliteBackupResult {
  std::string path;          // the verified copy
  std::uintmax_t bytes = 0;  // its size
};

// Copies `db_path` to `dest_path` (BackupSqlite), then runs PRAGMA integrity_check and `check` on the
// copy. On any failure the copy is removed and the error thrown: StoreUnavailable when a file cannot
// be written, std::runtime_error("backup verification failed: ...") when the copy is not sound.
// REQUIRES: nothing has `dest_path` open. Thread-safe (own connections); blocks for the whole copy.
SqliteBackupResult BackupSqliteVerified(const std::string& db_path, const std::string& dest_path,
                                        const BackupCheck& check);

// The same into `dir` (created if missing) under "bookstamp-YYYYMMDDTHHMMSSZ.db" (UTC of `now`;
// "-2", "-3"... appended if that name exists).
SqliteBackupResult BackupSqliteInto(const std::string& db_path, const std::string& dir,
                                    std::chrono::system_clock::time_point now, const BackupCheck& check);

}  // namespace bookstamp
