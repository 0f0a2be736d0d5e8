// ISO 2709 (MARC exchange format) structure: leader, directory, fields. Strict about structure so a
// broken record is refused with a reason a cataloguer can act on ("directory entry 7 (tag 245):
// field runs past the end of the record"), lenient about what real catalogues do harmlessly
// ('#' or '_' for a blank indicator, any printable indicator in local 9XX fields, a blank between
// a subfield delimiter and its code).
// docs/catalog.md "MARC" explains why the structure is parsed here and not by YAZ.
#pragma once
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "marc/marc_record.hpp"
#include "marc/text.hpp"

namespace bookstamp::marc {

inline constexpr char kRecordTerminator = '\x1D';
inline constexpr char kFieldTerminator = '\x1E';
inline constexpr char kSubfieldDelimiter = '\x1F';

// One field's bytes as stored: for data fields the two indicators, then the subfields.
struct RawField {
  std::string tag;
  std::string_view bytes;  // without the field terminator; points into the record's bytes
};

struct RawRecord {
  std::string leader;
  std::vector<RawField> fields;
};

// Parses one record: `bytes` runs from the leader through the record terminator. The views in the
// result point into `bytes`. Refuses (with the reason) a leader whose lengths are not digits or do
// not fit, a record length that disagrees with where the record ends, a directory that is not made
// of 12-byte entries ending in a field terminator, an entry whose tag is not three letters or
// digits or whose field lies outside the data or does not end in a field terminator.
std::expected<RawRecord, std::string> ParseIso2709(std::string_view bytes);

enum class Encoding { kUtf8, kMarc8 };

// Leader/09 'a' says UTF-8. Anything else says MARC-8 — but some systems write UTF-8 and leave
// leader/09 blank, so a record whose bytes are all valid UTF-8, hold at least one multibyte
// character and no MARC-8 escape (ESC) is read as UTF-8.
Encoding DetectEncoding(const RawRecord& raw);

// Decodes every field to UTF-8 (NFC) and checks indicators and subfield delimiters. Refuses, with
// the field, invalid UTF-8 in a UTF-8 record, invalid MARC-8, bad indicators (a control or
// non-ASCII character; an upper-case letter outside local 9XX fields) and data that does not start
// with a subfield delimiter. Empty data fields are dropped.
std::expected<Record, std::string> DecodeRecord(const RawRecord& raw, Encoding encoding, Marc8Decoder& marc8,
                                                NfcNormalizer& nfc);

// Checks the parts of a record read from MARCXML (leader length, tags, indicators, subfield codes)
// and normalizes its text to NFC; MARCXML text is Unicode whatever leader/09 says.
std::expected<Record, std::string> CheckRecord(Record record, NfcNormalizer& nfc);

}  // namespace bookstamp::marc
