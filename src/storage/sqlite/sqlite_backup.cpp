// Verified backups: BackupSqlite, then integrity_check and the caller's checks on the copy.
#include "storage/sqlite/sqlite_backup.hpp"

#include <fmt/format.h>

#include <ctime>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include "storage/sqlite/backup.hpp"
#include "storage/sqlite/sqlite_connection.hpp"
#include "storage/sqlite/sqlite_tx.hpp"

namespace bookstamp {
namespace fs = std::filesystem;
namespace {

// Empty when sound, else why not.
std::string VerifyCopy(const std::string& path, const BackupCheck& check) {
  // Read-write so SQLite may make the WAL index of the copy (its header says WAL); nothing is written.
  SqliteConnection db(path, {.read_only = false, .use_wal = true, .busy_timeout = std::chrono::seconds(5),
                             .cache_kib = 2 * 1024});
  auto rows = db.Query("PRAGMA integrity_check");
  if (rows.empty() || rows.front().Text(0) != "ok")
    return "integrity_check: " + (rows.empty() ? std::string("no answer") : rows.front().Text(0));
  if (!check) return {};
  db.ExecScript("BEGIN");
  std::string why;
  try {
    SqliteTx tx(db);
    check(tx);
  } catch (const std::exception& e) {
    why = e.what();
  }
  db.ExecScript("COMMIT");
  return why;
}

void RemoveCopy(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ignored);
}

}  // namespace

SqliteBackupResult BackupSqliteVerified(const std::string& db_path, const std::string& dest_path,
                                        const BackupCheck& check) {
  BackupSqlite(db_path, dest_path);
  std::string why;
  try {
    why = VerifyCopy(dest_path, check);
  } catch (...) {
    RemoveCopy(dest_path);
    throw;
  }
  if (!why.empty()) {
    RemoveCopy(dest_path);
    throw std::runtime_error("backup verification failed: " + why);
  }
  // Closing the check connection checkpointed; the copy alone is the backup.
  std::error_code ignored;
  fs::remove(dest_path + "-shm", ignored);
  fs::remove(dest_path + "-wal", ignored);
  return {dest_path, fs::file_size(dest_path)};
}

SqliteBackupResult BackupSqliteInto(const std::string& db_path, const std::string& dir,
                                    std::chrono::system_clock::time_point now, const BackupCheck& check) {
  fs::create_directories(dir);
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::string stem = fmt::format("bookstamp-{:04}{:02}{:02}T{:02}{:02}{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                                 utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  fs::path dest = fs::path(dir) / (stem + ".db");
  for (int n = 2; fs::exists(dest) || fs::exists(dest.string() + ".partial"); ++n)
    dest = fs::path(dir) / fmt::format("{}-{}.db", stem, n);
  return BackupSqliteVerified(db_path, dest.string(), check);
}

}  // namespace bookstamp
