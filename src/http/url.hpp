// Decoding of request targets: percent-decoding, query strings, path segments (RFC 3986).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstamp::http {

// Decodes "%xx" escapes (and '+' as a space when `plus_is_space`, for query strings).
// nullopt for a malformed escape or an encoded NUL.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

// "a=1&b=x+y&c" -> {a:"1", b:"x y", c:""}; the first of repeated keys wins; malformed escapes
// leave the pair out.
std::map<std::string, std::string> ParseQuery(std::string_view query);

// "/a/b%20c/" -> {"a", "b%20c", ""} (still encoded); "/" -> {""}. REQUIRES: path starts with '/'.
std::vector<std::string_view> SplitPath(std::string_view path);

// Case-insensitive ASCII comparison, for header names and tokens.
bool IEquals(std::string_view a, std::string_view b);

}  // namespace bookstamp::http
