#include "app/table_export.hpp"

namespace bookstamp {

std::string CsvField(const std::string& text) {
  std::string s = text;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string ToCsv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const auto& cells, auto&& text) {
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      first = false;
      out += text(c);
    }
    out += "\r\n";
  };
  line(table.header, [](const std::string& h) { return CsvField(h); });
  for (const auto& row : table.rows)
    line(row, [](const TableCell& c) {
      // Numbers are written as numbers (a negative delta is not a formula).
      if (const auto* n = std::get_if<std::int64_t>(&c)) return std::to_string(*n);
      return CsvField(std::get<std::string>(c));
    });
  return out;
}

}  // namespace bookstamp
