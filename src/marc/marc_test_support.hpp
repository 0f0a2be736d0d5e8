// Test helpers: ISO 2709 records built field by field (so a test can break exactly one thing),
// and the folders of real MARC files.
#pragma once
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bookstamp::marc::testing {

// A data field's bytes: indicators, then "$a..." with '$' standing for the subfield delimiter.
inline std::string DataField(std::string indicators, std::string subfields) {
  for (auto& c : subfields)
    if (c == '$') c = '\x1F';
  return indicators + subfields;
}

// A whole record: leader (24 characters; lengths are filled in), directory, fields.
// `leader_tail` is leader/05-11 without the lengths, e.g. "nam a22" (05 status, 06 type, 07 level,
// 08 control, 09 coding scheme, 10-11 "22").
inline std::string BuildRecord(const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& leader_tail = "nam a22", const std::string& leader_end = " a 4500") {
  std::string directory, data;
  for (const auto& [tag, bytes] : fields) {
    auto body = bytes + "\x1E";
    directory += fmt::format("{}{:04}{:05}", tag, body.size(), data.size());
    data += body;
  }
  directory += "\x1E";
  auto base = 24 + directory.size();
  auto total = base + data.size() + 1;
  return fmt::format("{:05}{}{:05}{}", total, leader_tail, base, leader_end) + directory + data + "\x1D";
}

inline std::filesystem::path TestData() { return BOOKSTAMP_TEST_DATA; }
inline std::filesystem::path SharedMarc() { return BOOKSTAMP_SHARED_MARC; }

// Every *.mrc / *.xml file directly in `dir`, sorted.
inline std::vector<std::filesystem::path> MarcFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".mrc" || ext == ".xml")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bookstamp::marc::testing
