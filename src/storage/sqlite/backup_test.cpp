// Tests of the online backup.
#include "storage/sqlite/backup.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(BackupSqlite, CopiesALiveDatabaseAsOneConsistentSnapshot) {
  testing::TempDir dir;
  const std::string path = dir.File("bookstamp.db");
  const std::string copy = dir.File("backup.db");
  SqliteStore store(path, {.read_connections = 1});
  store.Write([](SqlTx& tx) {
    tx.Exec("CREATE TABLE counter (n INTEGER NOT NULL)");
    tx.Exec("CREATE TABLE log (i INTEGER NOT NULL)");
    tx.Exec("INSERT INTO counter VALUES (0)");
    return TxOutcome::kCommit;
  });
  // Every job bumps the counter and logs one row: a consistent copy has as many rows as the count.
  std::atomic<bool> stop{false};
  std::jthread writer([&] {
    for (std::int64_t i = 0; !stop.load() || i < 50; ++i) {
      store.Write([i](SqlTx& tx) {
        tx.Exec("UPDATE counter SET n = n + 1");
        tx.Exec("INSERT INTO log VALUES (?)", {i});
        return TxOutcome::kCommit;
      });
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  BackupSqlite(path, copy);
  stop = true;
  writer.join();

  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
  SqliteConnection backup(copy, {.read_only = true});
  const std::int64_t n = backup.Query("SELECT n FROM counter").at(0).Int(0);
  EXPECT_EQ(backup.Query("SELECT count(*) FROM log").at(0).Int(0), n);
  EXPECT_EQ(backup.Query("SELECT count(*) FROM schema_migrations").at(0).Int(0),
            static_cast<std::int64_t>(SqliteMigrations().size()));
  EXPECT_EQ(backup.Query("PRAGMA integrity_check").at(0).Text(0), "ok");
}

TEST(BackupSqlite, ReplacesAnEarlierBackup) {
  testing::TempDir dir;
  const std::string path = dir.File("bookstamp.db");
  const std::string copy = dir.File("backup.db");
  SqliteStore store(path, {.read_connections = 1});
  store.Write([](SqlTx& tx) {
    tx.Exec("CREATE TABLE t (x INTEGER)");
    return TxOutcome::kCommit;
  });
  BackupSqlite(path, copy);
  store.Write([](SqlTx& tx) {
    tx.Exec("INSERT INTO t VALUES (1)");
    return TxOutcome::kCommit;
  });
  BackupSqlite(path, copy);
  SqliteConnection backup(copy, {.read_only = true});
  EXPECT_EQ(backup.Query("SELECT count(*) FROM t").at(0).Int(0), 1);
}

TEST(BackupSqlite, MissingSourceThrowsStoreUnavailableAndLeavesNoFile) {
  testing::TempDir dir;
  const std::string copy = dir.File("backup.db");
  EXPECT_THAT([&] { BackupSqlite(dir.File("absent.db"), copy); },
              ThrowsMessage<StoreUnavailable>(HasSubstr("absent.db")));
  EXPECT_FALSE(std::filesystem::exists(copy));
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
}

}  // namespace
}  // namespace bookstamp
