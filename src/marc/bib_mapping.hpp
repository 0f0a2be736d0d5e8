// MARC 21 bibliographic record -> the catalog's record (app/catalog_import.hpp). The field map is in
// docs/catalog.md "MARC fields"; in short: 245 title, 100/110/111 author, 264/260 publisher,
// 008/260 year, 008/041 language, 020 ISBN, 082/084/050 class number, 6XX subjects, 490/8XX
// series, 856 cover, 880 the original script, 852/952/949/999 copies; 003+001 the record key.
#pragma once
#include <expected>
#include <optional>
#include <string>

#include "app/catalog_import.hpp"
#include "marc/marc_record.hpp"

namespace bookstamp::marc {

// Why `record` is not a bibliographic record (authority, holdings, classification, community
// information), or nullopt when it is one.
std::optional<std::string> NotBibliographic(const Record& record);

// The catalog record, or why there is none ("no title (245)").
// REQUIRES: NotBibliographic(record) is nullopt.
std::expected<CatalogRecord, std::string> ToCatalogRecord(const Record& record);

// Text helpers, exposed for tests.
// Trailing ISBD punctuation (" /", " :", " ;", " =", ",", ".") and outer white space removed;
// a final period after a one-letter initial ("Smith, John B.") stays.
std::string TrimPunctuation(std::string_view text);
// True when most letters of `text` are outside the Latin script (Han, Cyrillic, Devanagari, ...).
bool MostlyNonLatin(std::string_view text);

}  // namespace bookstamp::marc
