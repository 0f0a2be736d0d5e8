// Online backup of a live SQLite database through the sqlite3 backup API (https://sqlite.org/backup.html).
#pragma once
#include <string>

namespace bookstamp {

// Copies the database at `db_path` to `dest_path` while it stays in use: one consistent snapshot
// (WAL readers do not block the writer, nor it them). The copy is written to `dest_path` + ".partial"
// and renamed over `dest_path` when complete, so `dest_path` is never a half-written file (a stale
// `dest_path`-wal/-shm is removed first). REQUIRES: nothing has `dest_path` open.
// Throws StoreUnavailable when a file cannot be opened or written (disk full, busy past the timeout),
// std::runtime_error for other SQLite errors. Thread-safe: uses its own connections.
void BackupSqlite(const std::string& db_path, const std::string& dest_path);

}  // namespace bookstamp
