// SqliteTx: the SqlTx port over one SQLite connection, inside a transaction the caller opened.
#pragma once
#include <span>

#include "app/ports/sql.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace bookstamp {

// Forwards to the connection's cached statements. Opens and ends no transaction itself: the store
// wraps each job in BEGIN/SAVEPOINT. Not thread-safe, like the connection.
class SqliteTx final : public SqlTx {
 public:
  explicit SqliteTx(SqliteConnection& db) : db_(db) {}

  SqlRows Query(std::string_view sql, std::initializer_list<SqlValue> params = {}) override {
    return db_.Query(sql, std::span<const SqlValue>(params.begin(), params.size()));
  }
  SqlRows Query(std::string_view sql, const std::vector<SqlValue>& params) override { return db_.Query(sql, params); }
  std::int64_t Exec(std::string_view sql, std::initializer_list<SqlValue> params = {}) override {
    return db_.Exec(sql, std::span<const SqlValue>(params.begin(), params.size()));
  }
  std::int64_t Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    return db_.Exec(sql, params);
  }
  std::string_view Dialect() const override { return "sqlite"; }

 private:
  SqliteConnection& db_;
};

}  // namespace bookstamp
