// Report tables and their downloads (PRODUCT.md A3): CSV that opens cleanly in a spreadsheet, and
// XLSX (xlsx_export.hpp, a separate library because it links libxlsxwriter).
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace bookstamp {

using TableCell = std::variant<std::string, std::int64_t>;

struct Table {
  std::string name;                 // the sheet name (at most 31 characters, no []:*?/\)
  std::vector<std::string> header;
  std::vector<double> widths;       // column widths in characters; may be shorter than header
  std::vector<std::vector<TableCell>> rows;
};

// UTF-8 with a byte order mark, CRLF line ends, RFC 4180 quoting; a text cell starting with
// = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet never runs it as a formula.
std::string ToCsv(const Table& table);
std::string CsvField(const std::string& text);

}  // namespace bookstamp
