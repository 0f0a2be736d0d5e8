// RAII wrappers over the SQLite C API: a connection (sqlite3*) with its prepared-statement cache, a
// statement (sqlite3_stmt*) and a transaction guard. SQLite errors become the Store port's exceptions.
// See ARCHITECTURE.md "SQLite engine"; the C API is documented at https://sqlite.org/c3ref/intro.html.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/ports/sql.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace bookstamp {

// Throws the exception for SQLite result code `rc` on `db` (message from sqlite3_errmsg):
//   SQLITE_CONSTRAINT*                                      -> ConstraintViolation (message only)
//   BUSY, LOCKED, FULL, IOERR, NOMEM, CANTOPEN, READONLY,
//   CORRUPT, NOTADB, PROTOCOL, INTERRUPT, PERM, NOLFS       -> StoreUnavailable
//   anything else (syntax, misuse, ...)                     -> std::runtime_error naming the SQL
[[noreturn]] void ThrowSqliteError(sqlite3* db, int rc, std::string_view sql);

// One prepared statement. Move-only; finalized on destruction.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

struct SqliteConnectionOptions {
  // A read-only connection never creates the file and refuses writes (SQLITE_READONLY).
  bool read_only = false;
  // A read-write connection switches the file to WAL (persistent in the file) unless this is false.
  bool use_wal = true;
  std::chrono::milliseconds busy_timeout{5000};
  // Page cache per connection, in KiB.
  int cache_kib = 16 * 1024;
  // A registered SQLite VFS by name (PacedSyncVfs()); null: the default.
  const char* vfs = nullptr;
};

// One database connection. Move-only; statements are finalized and the handle closed on destruction.
// Opened in SQLite's multi-thread mode: a connection may move between threads but must be used by one
// thread at a time. Setup: WAL (read-write connections set it; it is persistent in the file),
// synchronous=FULL, foreign_keys=ON, busy_timeout, cache_size, extended result codes.
class SqliteConnection {
 public:
  // Throws StoreUnavailable when the file cannot be opened (missing directory, permissions, not a database).
  SqliteConnection(const std::string& path, const SqliteConnectionOptions& options);
  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&& other) noexcept;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  sqlite3* get() const { return db_; }

  // Finalizes the cached statements and closes the handle now; later calls do nothing.
  // REQUIRES: no other call on this connection afterwards except the destructor.
  void Close() noexcept;

  // Runs one statement (from the cache) with `?` parameters and returns its rows.
  // REQUIRES: one `?` per parameter, one statement in `sql`. Errors: see ThrowSqliteError;
  // a parameter-count mismatch or a second statement throws std::logic_error.
  SqlRows Query(std::string_view sql, std::span<const SqlValue> params = {});
  // As Query, returning the number of rows changed (sqlite3_changes64).
  std::int64_t Exec(std::string_view sql, std::span<const SqlValue> params = {});
  // Runs SQL text holding any number of statements without parameters (migrations, pragmas);
  // uncached. Rows they yield are discarded.
  void ExecScript(std::string_view sql);

  // True while a transaction is open (false after COMMIT, ROLLBACK, or an error SQLite answered
  // by rolling the whole transaction back: disk full, I/O error).
  bool InTransaction() const;

  // The cached statement for `sql`, prepared on first use; valid until the next Prepare (which may
  // evict). Callers reset it after use.
  sqlite3_stmt* Prepare(std::string_view sql);
  std::size_t CachedStatementCount() const { return cache_.size(); }

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  // Bounds the cache: statements built from varying text (IN lists) must not grow it forever.
  static constexpr std::size_t kMaxCachedStatements = 256;

  // Steps `sql` to completion; appends rows to `rows` when it is not null.
  void Run(std::string_view sql, std::span<const SqlValue> params, SqlRows* rows);

  sqlite3* db_ = nullptr;
  // Destroyed (finalized) before db_ is closed: see Close().
  std::unordered_map<std::string, SqliteStatement, TextHash, std::equal_to<>> cache_;
};

// A transaction that rolls back in its destructor unless committed (or already ended by SQLite).
class SqliteTransaction {
 public:
  enum class Kind { kDeferred, kImmediate };
  SqliteTransaction(SqliteConnection& db, Kind kind);
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  // Throws as ThrowSqliteError; the destructor then rolls back.
  void Commit();

 private:
  SqliteConnection& db_;
  bool committed_ = false;
};

}  // namespace bookstamp
