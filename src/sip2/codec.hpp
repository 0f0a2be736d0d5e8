// SIP2 (3M Standard Interchange Protocol 2.00) messages: parse and format, checksums, charsets.
// Pure: no I/O, no clock. Supported messages and fields: docs/sip2.md.
#pragma once
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstamp::sip2 {

enum class Charset { kUtf8, kCp850 };

// A message: two-digit command, its fixed-length part, variable fields in order (a code may repeat),
// and the error-detection sequence number (AY) when one was sent.
struct Message {
  std::string code;    // "93", "11", ...
  std::string fixed;   // the fixed-length fields, concatenated
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<int> sequence;  // 0-9

  // The first value of a field, or nullopt.
  std::optional<std::string> Field(std::string_view id) const;
  // The first value of a field, or "".
  std::string FieldOr(std::string_view id, std::string fallback = {}) const;
  Message& Add(std::string id, std::string value);
};

enum class ParseError {
  kEmpty,           // nothing but the terminator
  kBadCode,         // the command is not two digits
  kUnknownCommand,  // a request this server does not know
  kTooShort,        // shorter than the command's fixed fields
  kBadChecksum,     // AZ present and wrong, or malformed
};
std::string_view ToString(ParseError e);

// Length of the fixed part of each request this server parses; nullopt for unknown commands.
std::optional<std::size_t> RequestFixedLength(std::string_view code);
// Length of the fixed part of each response this server formats (tests read responses back).
std::optional<std::size_t> ResponseFixedLength(std::string_view code);

// The checksum (4 upper-case hex digits) of `bytes`: the two's complement of their 16-bit sum.
std::string Checksum(std::string_view bytes);

// Parses one request (bytes as received, CR/LF terminator optional). A checksum present is
// verified over the received bytes; text is converted from `charset` to UTF-8 first.
std::expected<Message, ParseError> ParseRequest(std::string_view bytes, Charset charset = Charset::kUtf8);
// Same, for responses (the test client reads answers with it).
std::expected<Message, ParseError> ParseResponse(std::string_view bytes, Charset charset = Charset::kUtf8);

// Formats a message in `charset`, ending with CR. `|` and CR (and LF) are stripped from values.
// With `sequence`, appends AY<n>AZ<checksum> computed over the bytes sent.
std::string Format(const Message& m, Charset charset = Charset::kUtf8, std::optional<int> sequence = std::nullopt);

// A field value made safe to send: `|`, CR and LF removed.
std::string Clean(std::string_view value);

// UTF-8 <-> CP850. Characters CP850 lacks become '?'; invalid UTF-8 bytes become '?'.
std::string Utf8ToCp850(std::string_view utf8);
std::string Cp850ToUtf8(std::string_view cp850);

// SIP2 date "YYYYMMDDZZZZHHMMSS" from an RFC 3339 local time ("2026-11-29T14:03:00+08:00"):
// local time with four blanks for the zone. Empty on a malformed input.
std::string SipDateFromRfc3339(std::string_view rfc3339);
// SIP2 date of a calendar day "2026-12-27" (time 235959).
std::string SipDateOfDay(std::string_view iso_day);

}  // namespace bookstamp::sip2
