// ISBN rules for catalog matching (docs/catalog.md "ISBN"): an ISBN-10 and its ISBN-13 are one book,
// written with or without hyphens and spaces.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstamp::isbn {

// The digits (and a final X) of an ISBN as written, hyphens and spaces removed, qualifiers dropped:
// "0-306-40615-2 (pbk.)" -> "0306406152". Empty when the text does not start with 10 or 13 such
// characters.
std::string Clean(std::string_view text);

// True when `digits` (as Clean returns) is a 10- or 13-character ISBN with a correct check digit.
bool Valid(std::string_view digits);

// The ISBN-13 form of a valid ISBN-10 or ISBN-13 (hyphens allowed in `text`); nullopt otherwise.
std::optional<std::string> To13(std::string_view text);

// The forms an index stores and a query looks for: the cleaned text as written and, when valid,
// its ISBN-13. Empty when `text` holds no ISBN.
std::vector<std::string> SearchForms(std::string_view text);

}  // namespace bookstamp::isbn
