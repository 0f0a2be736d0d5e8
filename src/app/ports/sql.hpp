// The SQL port: what use cases need from a database transaction. Engines in storage/ implement it.
// SQL text uses `?` placeholders and the subset SQLite 3.40 and PostgreSQL 15 share
// (ON CONFLICT, RETURNING, CTEs); an engine may rewrite placeholders for its dialect.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bookstamp {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// Null for an empty optional.
template <class T>
SqlValue SqlOpt(const std::optional<T>& v) {
  if (!v) return nullptr;
  return SqlValue(*v);
}

class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(cells_.at(i)); }
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;
  std::string Text(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  const SqlValue& at(std::size_t i) const { return cells_.at(i); }

 private:
  std::vector<SqlValue> cells_;
};

using SqlRows = std::vector<SqlRow>;

// Thrown for a violated UNIQUE / CHECK / FOREIGN KEY constraint or a trigger's RAISE(ABORT).
// `what()` holds the engine's message (it names the constraint or the trigger's text).
class ConstraintViolation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when the database cannot do the work now (busy, disk full, gone): answered 503.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One transaction (or a savepoint inside a group commit). Not thread-safe: used by one job at a time.
class SqlTx {
 public:
  virtual ~SqlTx() = default;
  // Runs a statement and returns every row it yields (RETURNING included).
  virtual SqlRows Query(std::string_view sql, std::initializer_list<SqlValue> params = {}) = 0;
  virtual SqlRows Query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual std::int64_t Exec(std::string_view sql, std::initializer_list<SqlValue> params = {}) = 0;
  virtual std::int64_t Exec(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // "sqlite" or "postgres", for the rare statement that must differ.
  virtual std::string_view Dialect() const = 0;

  // Convenience: the first row, or nullopt.
  std::optional<SqlRow> QueryOne(std::string_view sql, std::initializer_list<SqlValue> params = {}) {
    auto rows = Query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
};

}  // namespace bookstamp
