// Tests of the SQLite RAII wrappers, the SqlTx adapter, error mapping and SqlRow's getters.
#include "storage/sqlite/sqlite_connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <type_traits>

#include "storage/sqlite/sqlite_tx.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

class SqliteConnectionTest : public ::testing::Test {
 protected:
  SqliteConnectionTest() : db_(dir_.File("test.db"), {}) {}
  testing::TempDir dir_;
  SqliteConnection db_;
};

TEST_F(SqliteConnectionTest, SetsWalFullSyncAndForeignKeys) {
  EXPECT_EQ(db_.Query("PRAGMA journal_mode").at(0).Text(0), "wal");
  EXPECT_EQ(db_.Query("PRAGMA synchronous").at(0).Int(0), 2);  // FULL
  EXPECT_EQ(db_.Query("PRAGMA foreign_keys").at(0).Int(0), 1);
  EXPECT_GT(db_.Query("PRAGMA busy_timeout").at(0).Int(0), 0);
  EXPECT_LT(db_.Query("PRAGMA cache_size").at(0).Int(0), -1000);  // negative: KiB, a few MiB
}

TEST_F(SqliteConnectionTest, CachesPreparedStatementsBySqlText) {
  const std::size_t before = db_.CachedStatementCount();
  sqlite3_stmt* first = db_.Prepare("SELECT 1");
  EXPECT_EQ(db_.Prepare("SELECT 1"), first);
  db_.Query("SELECT 1");
  EXPECT_EQ(db_.CachedStatementCount(), before + 1);
  db_.Query("SELECT 2");
  EXPECT_EQ(db_.CachedStatementCount(), before + 2);
}

TEST_F(SqliteConnectionTest, IsMoveOnly) {
  static_assert(!std::is_copy_constructible_v<SqliteConnection>);
  static_assert(!std::is_copy_assignable_v<SqliteConnection>);
  static_assert(!std::is_copy_constructible_v<SqliteStatement>);
  static_assert(std::is_nothrow_move_constructible_v<SqliteStatement>);
  db_.ExecScript("CREATE TABLE t (x INTEGER)");
  SqliteConnection moved = std::move(db_);
  EXPECT_EQ(moved.Exec("INSERT INTO t VALUES (1)"), 1);
  EXPECT_EQ(db_.get(), nullptr);
}

TEST_F(SqliteConnectionTest, BindsAndReturnsEveryValueType) {
  const std::string text_with_nul("借書\0證", 10);
  const SqlValue params[] = {nullptr, std::int64_t{9'007'199'254'740'993}, 2.5, text_with_nul};
  const SqlRows rows = db_.Query("SELECT ?, ?, ?, ?", params);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].IsNull(0));
  EXPECT_EQ(rows[0].Int(1), 9'007'199'254'740'993);
  EXPECT_EQ(rows[0].Real(2), 2.5);
  EXPECT_EQ(rows[0].Text(3), text_with_nul);
}

TEST_F(SqliteConnectionTest, ExecReturnsChangedRowsAndQueryReturnsReturningRows) {
  db_.ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO t (n) VALUES (1), (2), (3);");
  EXPECT_EQ(db_.Exec("UPDATE t SET n = n + 1 WHERE n >= 2"), 2);
  const SqlRows rows = db_.Query("DELETE FROM t WHERE n = 1 RETURNING id");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1);
}

TEST_F(SqliteConnectionTest, ConstraintViolationsThrowConstraintViolationWithSqlitesMessage) {
  db_.ExecScript(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE t (k TEXT UNIQUE, n INTEGER CHECK (n >= 0), p INTEGER REFERENCES parent(id));"
      "CREATE TRIGGER t_no_delete BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 't is append-only'); END;"
      "INSERT INTO t (k, n) VALUES ('a', 1);");
  struct Case {
    const char* sql;
    const char* message;
  };
  const Case cases[] = {
      {"INSERT INTO t (k, n) VALUES ('a', 2)", "UNIQUE constraint failed: t.k"},
      {"INSERT INTO t (k, n) VALUES ('b', -1)", "CHECK constraint failed"},
      {"INSERT INTO t (k, n, p) VALUES ('c', 1, 42)", "FOREIGN KEY constraint failed"},
      {"DELETE FROM t", "t is append-only"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    EXPECT_THAT([&] { db_.Exec(c.sql); }, ThrowsMessage<ConstraintViolation>(HasSubstr(c.message)));
  }
  // A failed statement leaves the cached statement reusable.
  EXPECT_EQ(db_.Exec("INSERT INTO t (k, n) VALUES ('d', 1)"), 1);
}

TEST_F(SqliteConnectionTest, SyntaxErrorThrowsRuntimeErrorNamingTheSql) {
  try {
    db_.Query("SELEC 1 FROM nowhere");
    FAIL() << "expected an exception";
  } catch (const ConstraintViolation&) {
    FAIL() << "a syntax error is not a constraint violation";
  } catch (const StoreUnavailable&) {
    FAIL() << "a syntax error is not an outage";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("syntax error"));
    EXPECT_THAT(e.what(), HasSubstr("SELEC 1 FROM nowhere"));
  }
}

TEST_F(SqliteConnectionTest, LockHeldByAnotherConnectionThrowsStoreUnavailable) {
  SqliteConnection other(dir_.File("test.db"), {.busy_timeout = std::chrono::milliseconds(10)});
  SqliteTransaction holding(db_, SqliteTransaction::Kind::kImmediate);
  EXPECT_THAT([&] { other.Exec("BEGIN IMMEDIATE"); }, ThrowsMessage<StoreUnavailable>(HasSubstr("locked")));
}

TEST(SqliteConnection, UnopenableFileThrowsStoreUnavailable) {
  testing::TempDir dir;
  EXPECT_THAT([&] { SqliteConnection db(dir.File("missing/dir/x.db"), {}); },
              ThrowsMessage<StoreUnavailable>(HasSubstr("missing/dir/x.db")));
}

TEST(SqliteConnection, FileThatIsNotADatabaseThrowsStoreUnavailable) {
  testing::TempDir dir;
  const std::string path = dir.File("notes.txt");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("these are not the pages you are looking for, not a database at all; padding padding padding", f);
    std::fclose(f);
  }
  EXPECT_THAT([&] { SqliteConnection db(path, {}); },
              ThrowsMessage<StoreUnavailable>(HasSubstr("notes.txt: SQLite: file is not a database")));
}

TEST_F(SqliteConnectionTest, ParameterCountMismatchIsALogicError) {
  const SqlValue one[] = {std::int64_t{1}};
  EXPECT_THAT([&] { db_.Query("SELECT ?, ?", one); }, ThrowsMessage<std::logic_error>(HasSubstr("2 parameter(s)")));
}

TEST_F(SqliteConnectionTest, QueryRefusesASecondStatementButExecScriptRunsMany) {
  EXPECT_THROW(db_.Exec("CREATE TABLE a (x); CREATE TABLE b (x)"), std::logic_error);
  EXPECT_NO_THROW(db_.Exec("SELECT 1; -- a trailing comment"));
  db_.ExecScript("-- comment only\nCREATE TABLE a (x); CREATE TABLE b (x); /* done */");
  EXPECT_EQ(db_.Query("SELECT count(*) FROM sqlite_schema WHERE name IN ('a', 'b')").at(0).Int(0), 2);
}

TEST_F(SqliteConnectionTest, TransactionRollsBackUnlessCommitted) {
  db_.ExecScript("CREATE TABLE t (x INTEGER)");
  {
    SqliteTransaction tx(db_, SqliteTransaction::Kind::kDeferred);
    db_.Exec("INSERT INTO t VALUES (1)");
  }
  {
    SqliteTransaction tx(db_, SqliteTransaction::Kind::kImmediate);
    db_.Exec("INSERT INTO t VALUES (2)");
    tx.Commit();
  }
  EXPECT_FALSE(db_.InTransaction());
  const SqlRows rows = db_.Query("SELECT x FROM t");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 2);
}

TEST_F(SqliteConnectionTest, SqliteTxForwardsBothParameterFormsAndNamesItsDialect) {
  SqliteTx tx(db_);
  EXPECT_EQ(tx.Dialect(), "sqlite");
  tx.Exec("CREATE TABLE t (k TEXT, n INTEGER)");
  EXPECT_EQ(tx.Exec("INSERT INTO t VALUES (?, ?)", {"a", std::int64_t{1}}), 1);
  EXPECT_EQ(tx.Exec("INSERT INTO t VALUES (?, ?)", std::vector<SqlValue>{"b", SqlOpt(std::optional<std::int64_t>())}),
            1);
  EXPECT_EQ(tx.Query("SELECT k FROM t WHERE n IS NULL", std::vector<SqlValue>{}).at(0).Text(0), "b");
  EXPECT_EQ(tx.QueryOne("SELECT n FROM t WHERE k = ?", {"a"})->Int(0), 1);
  EXPECT_FALSE(tx.QueryOne("SELECT n FROM t WHERE k = ?", {"zz"}).has_value());
}

TEST(SqlRow, GettersReturnTheirTypeAndOptionalsMapNull) {
  const SqlRow row({nullptr, std::int64_t{7}, 1.5, std::string("書")});
  EXPECT_EQ(row.size(), 4u);
  EXPECT_EQ(row.Int(1), 7);
  EXPECT_EQ(row.Real(2), 1.5);
  EXPECT_EQ(row.Real(1), 7.0);  // an integer widens
  EXPECT_EQ(row.Text(3), "書");
  EXPECT_EQ(row.OptInt(0), std::nullopt);
  EXPECT_EQ(row.OptInt(1), 7);
  EXPECT_EQ(row.OptText(0), std::nullopt);
  EXPECT_EQ(row.OptText(3), "書");
}

TEST(SqlRow, WrongTypeOrNullThrowsLogicErrorNamingColumnAndType) {
  const SqlRow row({nullptr, std::int64_t{7}, 1.5, std::string("x")});
  struct Case {
    std::function<void()> call;
    const char* message;
  };
  const Case cases[] = {
      {[&] { row.Int(0); }, "SqlRow::Int(0): column holds NULL, expected an integer"},
      {[&] { row.Int(2); }, "SqlRow::Int(2): column holds a real, expected an integer"},
      {[&] { row.Int(3); }, "SqlRow::Int(3): column holds text, expected an integer"},
      {[&] { row.Text(1); }, "SqlRow::Text(1): column holds an integer, expected text"},
      {[&] { row.Real(3); }, "SqlRow::Real(3): column holds text, expected a real"},
      {[&] { row.OptInt(3); }, "SqlRow::Int(3): column holds text, expected an integer"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    EXPECT_THAT(c.call, ThrowsMessage<std::logic_error>(c.message));
  }
  EXPECT_THROW(row.Int(9), std::out_of_range);
}

}  // namespace
}  // namespace bookstamp
