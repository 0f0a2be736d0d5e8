// SqlRow's typed getters: a wrong type or an unexpected NULL is a bug in the caller's SQL, so it throws
// std::logic_error naming the column and what it held (see sql.hpp).
#include "app/ports/sql.hpp"

#include <fmt/format.h>

namespace bookstamp {
namespace {

const char* TypeName(const SqlValue& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "an integer";
    case 2:
      return "a real";
    default:
      return "text";
  }
}

[[noreturn]] void ThrowWrongType(const char* getter, std::size_t i, const SqlValue& v, const char* expected) {
  throw std::logic_error(fmt::format("SqlRow::{}({}): column holds {}, expected {}", getter, i, TypeName(v), expected));
}

}  // namespace

std::int64_t SqlRow::Int(std::size_t i) const {
  const SqlValue& v = cells_.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  ThrowWrongType("Int", i, v, "an integer");
}

// An integer widens to a real: SQLite stores whole REAL values compactly and SUM() of integers is an integer.
double SqlRow::Real(std::size_t i) const {
  const SqlValue& v = cells_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  ThrowWrongType("Real", i, v, "a real");
}

std::string SqlRow::Text(std::size_t i) const {
  const SqlValue& v = cells_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  ThrowWrongType("Text", i, v, "text");
}

std::optional<std::int64_t> SqlRow::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> SqlRow::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

}  // namespace bookstamp
