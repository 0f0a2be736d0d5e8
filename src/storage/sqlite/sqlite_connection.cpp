// RAII wrappers over the SQLite C API and the mapping of SQLite errors to the port's exceptions.
#include "storage/sqlite/sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cctype>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace bookstamp {
namespace {

// Resets a statement and drops its bindings however the run ends, so a cached statement holds no
// read lock and no pointer into the caller's parameters.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

bool IsUnavailable(int primary) {
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
    case SQLITE_INTERRUPT:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
      return true;
    default:
      return false;
  }
}

// True when `rest` holds nothing but whitespace, semicolons and comments.
bool OnlyTrivia(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size()) {
    const char c = rest[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      ++i;
    } else if (rest.substr(i, 2) == "--") {
      const std::size_t eol = rest.find('\n', i);
      i = eol == std::string_view::npos ? rest.size() : eol + 1;
    } else if (rest.substr(i, 2) == "/*") {
      const std::size_t end = rest.find("*/", i + 2);
      i = end == std::string_view::npos ? rest.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

void Bind(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql, std::span<const SqlValue> params) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    throw std::logic_error(
        fmt::format("SQL has {} parameter(s) but {} value(s) were given: {}", expected, params.size(), sql));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    // SQLITE_STATIC: the values outlive the run, and ResetOnExit clears the bindings before returning.
    const int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            return sqlite3_bind_null(stmt, index);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, index, v);
          } else {
            return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) ThrowSqliteError(db, rc, sql);
  }
}

SqlRow ReadRow(sqlite3_stmt* stmt) {
  const int n = sqlite3_column_count(stmt);
  std::vector<SqlValue> cells;
  cells.reserve(static_cast<std::size_t>(n));
  for (int c = 0; c < n; ++c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        cells.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
        break;
      case SQLITE_FLOAT:
        cells.emplace_back(sqlite3_column_double(stmt, c));
        break;
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        cells.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
        break;
      }
      case SQLITE_BLOB: {
        // The port has no blob type; bytes travel as a string.
        const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
        cells.emplace_back(blob ? std::string(blob, size) : std::string());
        break;
      }
      default:
        cells.emplace_back(nullptr);
    }
  }
  return SqlRow(std::move(cells));
}

// Process-wide settings, before SQLite initializes (the first connection): no memory statistics,
// whose global mutex every allocation of every connection would otherwise take. Ignored (SQLITE_MISUSE)
// when something initialized SQLite earlier.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

void ThrowSqliteError(sqlite3* db, int rc, std::string_view sql) {
  // Long migration scripts are cut so the message stays readable.
  constexpr std::size_t kMaxSqlInMessage = 400;
  if (sql.size() > kMaxSqlInMessage) sql = sql.substr(0, kMaxSqlInMessage);
  const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int extended = db ? sqlite3_extended_errcode(db) : rc;
  const int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) throw ConstraintViolation(message);
  if (IsUnavailable(primary)) {
    throw StoreUnavailable(fmt::format("SQLite: {} (code {})", message, extended));
  }
  throw std::runtime_error(fmt::format("SQLite error: {} (code {}) in: {}{}", message, extended, sql,
                                       sql.size() == kMaxSqlInMessage ? "..." : ""));
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteConnection::SqliteConnection(const std::string& path, const SqliteConnectionOptions& options) {
  ConfigureSqliteOnce();
  const int flags =
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, options.vfs);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    Close();
    throw StoreUnavailable(fmt::format("cannot open SQLite database {}: {}", path, message));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
  try {
    if (!options.read_only && options.use_wal) {
      // WAL lets readers run beside the writer; the mode is stored in the file, so read-only
      // connections (opened after the writer) inherit it.
      const SqlRows mode = Query("PRAGMA journal_mode=WAL");
      if (mode.empty() || mode.front().Text(0) != "wal") {
        throw StoreUnavailable(fmt::format("SQLite database {} cannot use WAL mode", path));
      }
    }
    if (!options.read_only) {
      // Keeps a WAL that readers held open from staying large after the next checkpoint. Above the
      // store's wal_restart_pages (30,000 pages, 123 MB), so a WAL of normal size is reused in place:
      // a WAL that shrinks and grows again makes its fdatasync write metadata too.
      ExecScript("PRAGMA journal_size_limit=268435456");
    }
    ExecScript(
        fmt::format("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-{}; "
                    // Savepoint journals of a group stay in memory instead of a temp file.
                    "PRAGMA temp_store=MEMORY",
                    options.cache_kib));
  } catch (const StoreUnavailable& e) {
    Close();
    throw StoreUnavailable(fmt::format("cannot open SQLite database {}: {}", path, e.what()));
  } catch (...) {
    Close();
    throw;
  }
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {
  other.cache_.clear();
}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    other.cache_.clear();
  }
  return *this;
}

SqliteConnection::~SqliteConnection() { Close(); }

void SqliteConnection::Close() noexcept {
  cache_.clear();
  // _v2 closes once any statement a caller still holds is finalized, instead of failing.
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

sqlite3_stmt* SqliteConnection::Prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second.get();
  if (cache_.size() >= kMaxCachedStatements) cache_.clear();

  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  SqliteStatement stmt(raw);
  if (rc != SQLITE_OK) ThrowSqliteError(db_, rc, sql);
  if (raw == nullptr) throw std::logic_error(fmt::format("SQL holds no statement: '{}'", sql));
  if (!OnlyTrivia(sql.substr(static_cast<std::size_t>(tail - sql.data())))) {
    throw std::logic_error(fmt::format("SQL holds more than one statement (use ExecScript): {}", sql));
  }
  return cache_.emplace(std::string(sql), std::move(stmt)).first->second.get();
}

void SqliteConnection::Run(std::string_view sql, std::span<const SqlValue> params, SqlRows* rows) {
  sqlite3_stmt* stmt = Prepare(sql);
  ResetOnExit reset(stmt);
  Bind(db_, stmt, sql, params);
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      if (rows) rows->push_back(ReadRow(stmt));
    } else if (rc == SQLITE_DONE) {
      return;
    } else {
      ThrowSqliteError(db_, rc, sql);
    }
  }
}

SqlRows SqliteConnection::Query(std::string_view sql, std::span<const SqlValue> params) {
  SqlRows rows;
  Run(sql, params, &rows);
  return rows;
}

std::int64_t SqliteConnection::Exec(std::string_view sql, std::span<const SqlValue> params) {
  Run(sql, params, nullptr);
  return sqlite3_changes64(db_);
}

void SqliteConnection::ExecScript(std::string_view sql) {
  while (!sql.empty()) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    SqliteStatement stmt(raw);
    if (rc != SQLITE_OK) ThrowSqliteError(db_, rc, sql);
    const std::string_view this_one = sql.substr(0, static_cast<std::size_t>(tail - sql.data()));
    sql.remove_prefix(this_one.size());
    if (raw == nullptr) continue;  // whitespace or a comment
    int step;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
    }
    if (step != SQLITE_DONE) ThrowSqliteError(db_, step, this_one);
  }
}

bool SqliteConnection::InTransaction() const { return db_ && sqlite3_get_autocommit(db_) == 0; }

SqliteTransaction::SqliteTransaction(SqliteConnection& db, Kind kind) : db_(db) {
  db_.Exec(kind == Kind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

SqliteTransaction::~SqliteTransaction() {
  if (committed_ || !db_.InTransaction()) return;
  try {
    db_.Exec("ROLLBACK");
  } catch (...) {
    // A destructor must not throw; if even ROLLBACK fails, SQLite undoes the transaction when the
    // connection closes.
  }
}

void SqliteTransaction::Commit() {
  db_.Exec("COMMIT");
  committed_ = true;
}

}  // namespace bookstamp
