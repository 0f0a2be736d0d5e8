#include "app/xlsx_export.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace bookstamp {
namespace {

// libxlsxwriter 1.1.4 writes only to a file: a private temp file, removed on every path.
struct TempFile {
  std::string path;
  TempFile() {
    auto dir = std::filesystem::temp_directory_path().string();
    std::string tmpl = dir + "/bookstamp-report-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temp file");
    close(fd);
    path = tmpl;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

std::string SheetName(const std::string& name, int index) {
  std::string s;
  for (char c : name)
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) s += c;
  if (s.empty() || s.size() > 31) s = fmt::format("Sheet{}", index + 1);  // bytes: keep UTF-8 whole
  return s;
}

void Check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR) throw std::runtime_error(fmt::format("xlsx: {}: {}", what, lxw_strerror(e)));
}

}  // namespace

std::string ToXlsx(const std::vector<Table>& sheets) {
  TempFile file;
  // Constant memory: rows stream to disk as written (in order, as here), and strings are stored
  // inline in each sheet's XML, so a year of redemptions costs no more memory than a day's.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(file.path.c_str(), &options);
  if (!wb) throw std::runtime_error("xlsx: workbook_new failed");
  struct Closer {
    lxw_workbook*& wb;
    ~Closer() {
      if (wb) workbook_close(wb);
    }
  } closer{wb};
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xDDEBF7);
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const auto& t = sheets[i];
    auto name = SheetName(t.name, static_cast<int>(i));
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (!ws) throw std::runtime_error("xlsx: cannot add worksheet");
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      Check(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold), "header");
      double w = c < t.widths.size() ? t.widths[c] : 14;
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      auto row = static_cast<lxw_row_t>(r + 1);
      for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
        auto col = static_cast<lxw_col_t>(c);
        const auto& cell = t.rows[r][c];
        if (const auto* n = std::get_if<std::int64_t>(&cell))
          Check(worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr), "number");
        else if (!std::get<std::string>(cell).empty())
          // Strings stay strings: libxlsxwriter never turns "=..." into a formula here.
          Check(worksheet_write_string(ws, row, col, std::get<std::string>(cell).c_str(), nullptr), "string");
      }
    }
    if (!t.header.empty() && !t.rows.empty())
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(t.rows.size()),
                           static_cast<lxw_col_t>(t.header.size() - 1));
  }
  lxw_workbook* done = wb;
  wb = nullptr;
  Check(workbook_close(done), "close");
  std::ifstream in(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace bookstamp
