// Tests of the verified backup: the copy is checked, a copy that fails is removed, names are unique.
#include "storage/sqlite/sqlite_backup.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp {
namespace {
namespace fs = std::filesystem;

std::string MakeDatabase(const testing::TempDir& dir) {
  std::string path = dir.File("bookstamp.db");
  SqliteStore store(path, {.read_connections = 1});
  store.Write([](SqlTx& tx) {
    tx.Exec("CREATE TABLE t (n INTEGER NOT NULL)");
    tx.Exec("INSERT INTO t VALUES (7)");
    return TxOutcome::kCommit;
  });
  return path;
}

TEST(BackupSqliteVerified, RunsTheCheckOnTheCopyAndKeepsOnlyTheFile) {
  testing::TempDir dir;
  auto db = MakeDatabase(dir);
  std::int64_t seen = 0;
  auto result = BackupSqliteVerified(db, dir.File("copy.db"), [&](SqlTx& tx) { seen = tx.QueryOne("SELECT n FROM t")->Int(0); });
  EXPECT_EQ(seen, 7);
  EXPECT_EQ(result.path, dir.File("copy.db"));
  EXPECT_EQ(result.bytes, fs::file_size(dir.File("copy.db")));
  EXPECT_FALSE(fs::exists(dir.File("copy.db-wal")));
  EXPECT_FALSE(fs::exists(dir.File("copy.db.partial")));
}

TEST(BackupSqliteVerified, RemovesACopyThatFailsTheCheck) {
  testing::TempDir dir;
  auto db = MakeDatabase(dir);
  try {
    BackupSqliteVerified(db, dir.File("copy.db"), [](SqlTx&) { throw std::runtime_error("ledger broken: card C1"); });
    FAIL() << "expected a verification failure";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "backup verification failed: ledger broken: card C1");
  }
  EXPECT_FALSE(fs::exists(dir.File("copy.db")));
}

TEST(BackupSqliteInto, NamesByUtcTimeAndNeverOverwrites) {
  testing::TempDir dir;
  auto db = MakeDatabase(dir);
  auto at = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours(2) + std::chrono::minutes(3) +
            std::chrono::seconds(4);
  auto first = BackupSqliteInto(db, dir.File("backups"), at, nullptr);
  auto second = BackupSqliteInto(db, dir.File("backups"), at, nullptr);
  EXPECT_EQ(fs::path(first.path).filename(), "bookstamp-20260302T020304Z.db");
  EXPECT_EQ(fs::path(second.path).filename(), "bookstamp-20260302T020304Z-2.db");
  EXPECT_TRUE(fs::exists(first.path));
}

}  // namespace
}  // namespace bookstamp
