// Tests of the migration runner against a real SQLite file.
#include "storage/sqlite/migrate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr SqlMigration kCreate{1, "create", "CREATE TABLE a (x INTEGER NOT NULL);"};
constexpr SqlMigration kFill{2, "fill", "-- seed\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);"};
constexpr SqlMigration kMore{3, "more", "CREATE TABLE b (y TEXT);"};

std::vector<std::int64_t> AppliedVersions(SqliteConnection& db) {
  std::vector<std::int64_t> versions;
  for (const SqlRow& row : db.Query("SELECT version FROM schema_migrations ORDER BY version")) {
    versions.push_back(row.Int(0));
  }
  return versions;
}

class MigrateTest : public ::testing::Test {
 protected:
  MigrateTest() : db_(dir_.File("m.db"), {}) {}
  testing::TempDir dir_;
  SqliteConnection db_;
};

TEST(SqliteMigrations, AreNumberedFromOneInIncreasingOrder) {
  const auto migrations = SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "core");
  for (std::size_t i = 1; i < migrations.size(); ++i) EXPECT_GT(migrations[i].version, migrations[i - 1].version);
}

// 0015 rebuilds audit_log without UNIQUE(hash): every row, its order and the append-only triggers stay.
TEST_F(MigrateTest, AuditLogRebuildKeepsEveryRowAndStaysAppendOnly) {
  const auto all = SqliteMigrations();
  const auto before = std::ranges::find_if(all, [](const SqlMigration& m) { return m.version >= 15; });
  ASSERT_NE(before, all.end());
  Migrate(db_, std::span(all.begin(), before));
  for (int seq = 1; seq <= 3; ++seq) {
    db_.Exec("INSERT INTO audit_log VALUES (?, '2026-11-30T00:00:00Z', 'staff:a', 'x.y', 's', '{}', ?, ?)",
             std::vector<SqlValue>{std::int64_t{seq}, std::string(64, static_cast<char>('0' + seq - 1)),
                                   std::string(64, static_cast<char>('0' + seq))});
  }
  Migrate(db_);
  const SqlRows rows = db_.Query("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].Int(0), 3);
  EXPECT_EQ(rows[2].Text(1), std::string(64, '2'));
  EXPECT_EQ(rows[2].Text(2), std::string(64, '3'));
  EXPECT_EQ(db_.Query("SELECT count(*) FROM pragma_index_list('audit_log') WHERE \"unique\"").at(0).Int(0), 0);
  EXPECT_EQ(db_.Query("SELECT count(*) FROM pragma_index_list('audit_log')").at(0).Int(0), 2);  // action, subject
  EXPECT_THROW(db_.Exec("UPDATE audit_log SET details = '{\"x\":1}' WHERE seq = 2"), std::exception);
  EXPECT_THROW(db_.Exec("DELETE FROM audit_log WHERE seq = 3"), std::exception);
  EXPECT_EQ(db_.Query("SELECT count(*) FROM audit_log").at(0).Int(0), 3);
}

TEST_F(MigrateTest, AppliesEachMigrationOnceAndRecordsIt) {
  const SqlMigration list[] = {kCreate, kFill};
  Migrate(db_, list);
  Migrate(db_, list);  // already applied: the inserts do not run again
  EXPECT_EQ(db_.Query("SELECT count(*) FROM a").at(0).Int(0), 2);
  const SqlRows rows = db_.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Text(1), "create");
  EXPECT_EQ(rows[1].Text(1), "fill");
  EXPECT_THAT(rows[0].Text(2),
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z"));
}

TEST_F(MigrateTest, AppliesOnlyTheMissingOnesInOrder) {
  const SqlMigration first[] = {kCreate};
  Migrate(db_, first);
  const SqlMigration all[] = {kCreate, kFill, kMore};
  Migrate(db_, all);
  EXPECT_THAT(AppliedVersions(db_), ElementsAre(1, 2, 3));
  EXPECT_EQ(db_.Query("SELECT count(*) FROM a").at(0).Int(0), 2);
}

TEST_F(MigrateTest, RefusesADatabaseNewerThanTheBinaryAndChangesNothing) {
  const SqlMigration newer[] = {kCreate, kMore};
  Migrate(db_, newer);
  const SqlMigration older[] = {kCreate, kFill};
  EXPECT_THAT([&] { Migrate(db_, older); },
              ThrowsMessage<std::runtime_error>(HasSubstr("schema migration 3 which this binary does not know")));
  EXPECT_THAT(AppliedVersions(db_), ElementsAre(1, 3));
  EXPECT_EQ(db_.Query("SELECT count(*) FROM a").at(0).Int(0), 0);
}

TEST_F(MigrateTest, FailingMigrationRollsBackOnlyItself) {
  const SqlMigration list[] = {kCreate, {2, "broken", "CREATE TABLE b (x); CREATE TABL oops (y);"}, kMore};
  EXPECT_THAT([&] { Migrate(db_, list); },
              ThrowsMessage<std::runtime_error>(HasSubstr("schema migration 0002_broken failed")));
  EXPECT_THAT(AppliedVersions(db_), ElementsAre(1));
  EXPECT_TRUE(db_.Query("SELECT 1 FROM sqlite_schema WHERE name = 'b'").empty());
  EXPECT_FALSE(db_.InTransaction());
}

TEST_F(MigrateTest, RejectsAListOutOfOrder) {
  const SqlMigration list[] = {kFill, kCreate};
  EXPECT_THROW(Migrate(db_, list), std::logic_error);
}

TEST(SqliteStoreMigrations, AppliedOnOpenAndIdempotentOnReopen) {
  testing::TempDir dir;
  const std::string path = dir.File("bookstamp.db");
  for (int open = 0; open < 2; ++open) {
    SCOPED_TRACE(open);
    auto store = OpenSqliteStore(path, {.read_connections = 1});
    store->Read([](SqlTx& tx) {
      EXPECT_EQ(static_cast<std::size_t>(tx.QueryOne("SELECT count(*) FROM schema_migrations")->Int(0)),
                SqliteMigrations().size());
      EXPECT_EQ(tx.QueryOne("SELECT max(version) FROM schema_migrations")->Int(0), SqliteMigrations().back().version);
    });
  }
}

TEST(SqliteStoreMigrations, RefusesToOpenADatabaseNewerThanTheBinary) {
  testing::TempDir dir;
  const std::string path = dir.File("bookstamp.db");
  {
    SqliteConnection db(path, {});
    Migrate(db);
    db.Exec("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2099-01-01T00:00:00.000Z')");
  }
  EXPECT_THAT([&] { OpenSqliteStore(path, {}); },
              ThrowsMessage<std::runtime_error>(HasSubstr("written by a newer bookstamp")));
}

}  // namespace
}  // namespace bookstamp
