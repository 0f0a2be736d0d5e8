// BackupSqlite: sqlite3_backup_* from a read-only source connection into a temporary file, then rename.
#include "storage/sqlite/backup.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "app/ports/sql.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace bookstamp {
namespace {

// Frees the backup handle if copying throws before sqlite3_backup_finish.
struct BackupHandle {
  sqlite3_backup* handle = nullptr;
  BackupHandle() = default;
  BackupHandle(const BackupHandle&) = delete;
  BackupHandle& operator=(const BackupHandle&) = delete;
  ~BackupHandle() {
    if (handle) sqlite3_backup_finish(handle);
  }
};

void RemoveQuietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace

void BackupSqlite(const std::string& db_path, const std::string& dest_path) {
  const std::string partial = dest_path + ".partial";
  RemoveQuietly(partial);
  try {
    SqliteConnection source(
        db_path, {.read_only = true, .use_wal = true, .busy_timeout = std::chrono::seconds(30), .cache_kib = 2 * 1024});
    {
      // A rollback journal while copying, so nothing but the one file is left behind; the copy keeps
      // the source's journal mode in its header (WAL), which its next opener uses.
      SqliteConnection dest(
          partial,
          {.read_only = false, .use_wal = false, .busy_timeout = std::chrono::seconds(30), .cache_kib = 2 * 1024});
      BackupHandle backup;
      backup.handle = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
      if (!backup.handle) ThrowSqliteError(dest.get(), sqlite3_errcode(dest.get()), "backup init");
      // All pages in one step: one read transaction on the source, so the copy is one snapshot.
      int rc;
      while ((rc = sqlite3_backup_step(backup.handle, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        sqlite3_sleep(50);
      }
      rc = sqlite3_backup_finish(std::exchange(backup.handle, nullptr));
      if (rc != SQLITE_OK) ThrowSqliteError(dest.get(), rc, "backup");
    }
    // A stale WAL beside an older copy would be replayed into the new one.
    RemoveQuietly(dest_path + "-wal");
    RemoveQuietly(dest_path + "-shm");
    std::error_code ec;
    std::filesystem::rename(partial, dest_path, ec);
    if (ec) throw StoreUnavailable(fmt::format("backup: cannot rename {} to {}: {}", partial, dest_path, ec.message()));
  } catch (...) {
    RemoveQuietly(partial);
    RemoveQuietly(partial + "-journal");
    throw;
  }
}

}  // namespace bookstamp
