// SIP2 codec; see codec.hpp and docs/sip2.md.
#include "sip2/codec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace bookstamp::sip2 {
namespace {

// CP850 bytes 0x80-0xFF as Unicode code points.
constexpr std::array<char32_t, 128> kCp850High = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC,
    0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00F8,
    0x00A3, 0x00D8, 0x00D7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x00AE,
    0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
    0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C,
    0x00E3, 0x00C3, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4, 0x00F0, 0x00D0, 0x00CA, 0x00CB,
    0x00C8, 0x0131, 0x00CD, 0x00CE, 0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580, 0x00D3, 0x00DF,
    0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE, 0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
    0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8, 0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2,
    0x25A0, 0x00A0};

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Next code point of `s` at `i` (advanced); U+FFFD for an invalid sequence (one byte consumed).
char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  int len = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = b & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string_view StripTerminators(std::string_view s) {
  while (!s.empty() && (s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::expected<Message, ParseError> Parse(std::string_view bytes, Charset charset,
                                         std::optional<std::size_t> (*fixed_length)(std::string_view)) {
  auto body = StripTerminators(bytes);
  if (body.empty()) return std::unexpected(ParseError::kEmpty);
  Message m;
  if (body.size() < 2 || !std::isdigit(static_cast<unsigned char>(body[0])) ||
      !std::isdigit(static_cast<unsigned char>(body[1])))
    return std::unexpected(ParseError::kBadCode);
  m.code = std::string(body.substr(0, 2));
  auto fixed = fixed_length(m.code);
  if (!fixed) return std::unexpected(ParseError::kUnknownCommand);
  const std::size_t head = 2 + *fixed;  // error detection is looked for after the fixed part only
  // Error detection: ...AY<n>AZ<xxxx> at the very end; the checksum covers everything before xxxx.
  auto all_hex = [](std::string_view v) { return std::all_of(v.begin(), v.end(), IsHex); };
  if (body.size() >= head + 6 && body.substr(body.size() - 6, 2) == "AZ" && all_hex(body.substr(body.size() - 4))) {
    auto sum = body.substr(body.size() - 4);
    std::string upper(sum);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (Checksum(body.substr(0, body.size() - 4)) != upper) return std::unexpected(ParseError::kBadChecksum);
    body.remove_suffix(6);
  } else if (auto az = body.rfind("AZ"); az != std::string_view::npos && az >= head + 3 && az + 2 < body.size() &&
                                         body.substr(az - 3, 2) == "AY" &&
                                         body.substr(az).find('|') == std::string_view::npos) {
    // AY<n>AZ ending the message but not followed by 4 hex digits: a broken checksum.
    return std::unexpected(ParseError::kBadChecksum);
  }
  if (body.size() >= head + 3 && body.substr(body.size() - 3, 2) == "AY" &&
      std::isdigit(static_cast<unsigned char>(body.back()))) {
    m.sequence = body.back() - '0';
    body.remove_suffix(3);
  }
  if (body.size() < head) return std::unexpected(ParseError::kTooShort);
  // Split on the bytes received (fixed lengths count bytes), then convert each piece.
  auto decode = [charset](std::string_view raw) {
    return charset == Charset::kCp850 ? Cp850ToUtf8(raw) : std::string(raw);
  };
  std::string_view text = body;
  m.fixed = decode(text.substr(2, *fixed));
  std::string_view rest = text;
  rest.remove_prefix(2 + *fixed);
  while (!rest.empty()) {
    auto bar = rest.find('|');
    auto piece = rest.substr(0, bar);
    rest.remove_prefix(bar == std::string_view::npos ? rest.size() : bar + 1);
    if (piece.size() < 2) continue;  // a stray byte between bars: ignored
    m.fields.emplace_back(decode(piece.substr(0, 2)), Clean(decode(piece.substr(2))));
  }
  return m;
}

}  // namespace

std::optional<std::string> Message::Field(std::string_view id) const {
  for (const auto& [k, v] : fields)
    if (k == id) return v;
  return std::nullopt;
}

std::string Message::FieldOr(std::string_view id, std::string fallback) const {
  auto v = Field(id);
  return v ? *v : std::move(fallback);
}

Message& Message::Add(std::string id, std::string value) {
  fields.emplace_back(std::move(id), std::move(value));
  return *this;
}

std::string_view ToString(ParseError e) {
  switch (e) {
    case ParseError::kEmpty: return "empty message";
    case ParseError::kBadCode: return "bad command code";
    case ParseError::kUnknownCommand: return "unsupported command";
    case ParseError::kTooShort: return "message too short";
    case ParseError::kBadChecksum: return "bad checksum";
  }
  return "malformed";
}

std::optional<std::size_t> RequestFixedLength(std::string_view code) {
  if (code == "93") return 2;   // UID algorithm, PWD algorithm
  if (code == "99") return 8;   // status code, max print width(3), protocol version(4)
  if (code == "23") return 21;  // language(3), transaction date(18)
  if (code == "63") return 31;  // language(3), transaction date(18), summary(10)
  if (code == "11") return 38;  // SC renewal policy, no block, transaction date, nb due date
  if (code == "09") return 37;  // no block, transaction date, return date
  if (code == "17") return 18;  // transaction date
  if (code == "29") return 38;  // third party allowed, no block, transaction date, nb due date
  if (code == "35") return 18;  // transaction date
  if (code == "97" || code == "96") return 0;
  return std::nullopt;
}

std::optional<std::size_t> ResponseFixedLength(std::string_view code) {
  if (code == "94") return 1;
  if (code == "98") return 34;
  if (code == "24") return 35;
  if (code == "64") return 59;
  if (code == "12" || code == "10" || code == "30") return 22;
  if (code == "18") return 24;
  if (code == "36") return 19;
  if (code == "96") return 0;
  return std::nullopt;
}

std::string Checksum(std::string_view bytes) {
  unsigned sum = 0;
  for (char c : bytes) sum += static_cast<unsigned char>(c);
  unsigned check = (~sum + 1) & 0xFFFF;
  char out[5];
  std::snprintf(out, sizeof out, "%04X", check);
  return out;
}

std::expected<Message, ParseError> ParseRequest(std::string_view bytes, Charset charset) {
  return Parse(bytes, charset, &RequestFixedLength);
}

std::expected<Message, ParseError> ParseResponse(std::string_view bytes, Charset charset) {
  return Parse(bytes, charset, &ResponseFixedLength);
}

std::string Clean(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '|' && c != '\r' && c != '\n') out += c;
  return out;
}

std::string Format(const Message& m, Charset charset, std::optional<int> sequence) {
  std::string text = m.code + m.fixed;
  for (const auto& [id, value] : m.fields) {
    text += id;
    text += Clean(value);
    text += '|';
  }
  std::string out = charset == Charset::kCp850 ? Utf8ToCp850(text) : text;
  if (sequence) {
    out += "AY";
    out += static_cast<char>('0' + (*sequence % 10 + 10) % 10);
    out += "AZ";
    out += Checksum(out);
  }
  out += '\r';
  return out;
}

std::string Utf8ToCp850(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp = NextCodePoint(utf8, i);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
      continue;
    }
    char mapped = '?';
    for (std::size_t k = 0; k < kCp850High.size(); ++k)
      if (kCp850High[k] == cp) {
        mapped = static_cast<char>(0x80 + k);
        break;
      }
    out += mapped;
  }
  return out;
}

std::string Cp850ToUtf8(std::string_view cp850) {
  std::string out;
  out.reserve(cp850.size());
  for (char c : cp850) {
    auto b = static_cast<unsigned char>(c);
    AppendUtf8(out, b < 0x80 ? char32_t{b} : kCp850High[b - 0x80]);
  }
  return out;
}

std::string SipDateFromRfc3339(std::string_view s) {
  // 2026-11-29T14:03:00...
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return {};
  std::string out;
  out.append(s.substr(0, 4)).append(s.substr(5, 2)).append(s.substr(8, 2));
  out += "    ";
  out.append(s.substr(11, 2)).append(s.substr(14, 2)).append(s.substr(17, 2));
  return out;
}

std::string SipDateOfDay(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return {};
  std::string out;
  out.append(d.substr(0, 4)).append(d.substr(5, 2)).append(d.substr(8, 2));
  out += "    235959";
  return out;
}

}  // namespace bookstamp::sip2
