// Reading MARC files record by record: ISO 2709 (any number of records, MARC-8 or UTF-8) or
// MARCXML (a <collection> of <record>s, any namespace prefix). The format is detected from the
// first bytes. A broken record is returned as a problem with its number and position, and reading
// goes on with the next one (ISO 2709 records are delimited by the record terminator, so one bad
// record never hides the rest). Usage:
//   auto reader = MarcReader::OpenFile("uva.mrc");
//   while (auto e = reader->Next()) {
//     if (e->record) Use(*e->record); else Report(reader->Position(*e), e->problem);
//   }
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "marc/marc_record.hpp"

namespace bookstamp::marc {

enum class Format { kIso2709, kMarcXml };

struct ReadEntry {
  std::optional<Record> record;  // set for a good record
  std::string problem;           // why the record was refused (when `record` is empty)
  std::size_t index = 0;         // 1-based number of the record in the file
  std::uint64_t offset = 0;      // ISO 2709: byte offset of the record's first byte
  long line = 0;                 // MARCXML: line of the <record> element
};

class MarcReader {
 public:
  // Opens a file. Throws std::runtime_error when it cannot be opened.
  static std::unique_ptr<MarcReader> OpenFile(const std::string& path);
  // Reads `bytes` (tests, uploads); `name` is used in positions.
  static std::unique_ptr<MarcReader> FromMemory(std::string bytes, std::string name);

  virtual ~MarcReader() = default;
  // The next record or problem; nullopt at the end of the file. A MARCXML file that stops being
  // well-formed yields one last problem (the XML error and its line) and then ends.
  virtual std::optional<ReadEntry> Next() = 0;
  virtual std::uint64_t BytesRead() const = 0;

  std::uint64_t BytesTotal() const { return total_; }
  const std::string& name() const { return name_; }
  Format format() const { return format_; }
  // "uva.mrc record 12 (byte 4567)" or "books.xml record 3 (line 120)".
  std::string Position(const ReadEntry& e) const;

 protected:
  MarcReader(std::string name, Format format, std::uint64_t total)
      : name_(std::move(name)), format_(format), total_(total) {}

 private:
  std::string name_;
  Format format_;
  std::uint64_t total_;
};

// Detects the format from the first bytes: '<' after an optional BOM and white space is MARCXML.
Format DetectFormat(std::string_view head);

}  // namespace bookstamp::marc
