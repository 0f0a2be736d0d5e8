// XLSX downloads through libxlsxwriter (ARCHITECTURE.md): one worksheet per table, a bold frozen
// header row, column widths, numbers as numbers. Linked only by the API's report routes.
#pragma once
#include <string>
#include <vector>

#include "app/table_export.hpp"

namespace bookstamp {

// The .xlsx file's bytes. Throws std::runtime_error when libxlsxwriter fails.
std::string ToXlsx(const std::vector<Table>& sheets);

}  // namespace bookstamp
