// MIME building (RFC 2045, 2046, 2047, 5322).
#include "notify/mime.hpp"

#include <fmt/format.h>

#include <ctime>

#include "app/crypto.hpp"

namespace bookstamp::notify {
namespace {

bool PrintableAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// Length of the UTF-8 sequence starting with `lead`.
std::size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

// A display name: a quoted string when ASCII (so commas and dots are safe), else encoded-words.
std::string DisplayName(std::string_view name) {
  if (!PrintableAscii(name)) return EncodeHeaderWord(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string Base64(std::string_view bytes, std::size_t line) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + 8);
  std::size_t i = 0;
  auto put = [&](char c) { out += c; };
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    put(kAlphabet[(v >> 18) & 63]);
    put(kAlphabet[(v >> 12) & 63]);
    put(kAlphabet[(v >> 6) & 63]);
    put(kAlphabet[v & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    put(kAlphabet[(v >> 18) & 63]);
    put(kAlphabet[(v >> 12) & 63]);
    put(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    put('=');
  }
  if (line == 0 || out.size() <= line) return out;
  std::string wrapped;
  for (std::size_t k = 0; k < out.size(); k += line) {
    if (k) wrapped += "\r\n";
    wrapped += out.substr(k, line);
  }
  return wrapped;
}

std::string EncodeHeaderWord(std::string_view utf8) {
  if (PrintableAscii(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + "?=" is 12 characters; 75 - 12 = 63 base64 characters hold at most 45 bytes
  // (15 groups of 3), so a word carries at most 45 bytes of whole characters.
  constexpr std::size_t kMaxBytes = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i;
    while (end < utf8.size()) {
      std::size_t n = Utf8Length(static_cast<unsigned char>(utf8[end]));
      if (end + n - i > kMaxBytes) break;
      end += n;
    }
    if (end == i) end = std::min(utf8.size(), i + Utf8Length(static_cast<unsigned char>(utf8[i])));
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string MailDate(Instant t) {
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string NoticeMessageId(std::int64_t notice_id, std::string_view server_key, std::string_view domain) {
  auto mac = crypto::HmacSha256(server_key, fmt::format("bookstamp notice message-id {}", notice_id));
  return fmt::format("<notice-{}.{}@{}>", notice_id, crypto::Hex(mac.substr(0, 8)), domain);
}

std::string AddressDomain(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 >= address.size()) return "localhost";
  auto d = address.substr(at + 1);
  if (!d.empty() && d.back() == '>') d.remove_suffix(1);
  return std::string(d);
}

std::string BuildMime(const MailMessage& m, std::string_view from, std::string_view from_name, Instant date) {
  // The boundary comes from the Message-ID so the same notice always yields the same bytes.
  std::string boundary = "=_bookstamp_" + crypto::Hex(crypto::Sha256(m.message_id).substr(0, 12));
  std::string out;
  auto header = [&](std::string_view name, std::string_view value) { out += fmt::format("{}: {}\r\n", name, value); };
  if (from_name.empty())
    header("From", from);
  else
    header("From", fmt::format("{} <{}>", DisplayName(from_name), from));
  header("To", fmt::format("<{}>", m.to));
  header("Subject", EncodeHeaderWord(m.subject));
  header("Date", MailDate(date));
  header("Message-ID", m.message_id);
  header("MIME-Version", "1.0");
  header("Content-Type", fmt::format("multipart/alternative; boundary=\"{}\"", boundary));
  out += "\r\n";
  auto part = [&](std::string_view type, std::string_view body) {
    out += fmt::format("--{}\r\n", boundary);
    out += fmt::format("Content-Type: {}; charset=UTF-8\r\n", type);
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += Base64(body, 76);
    out += "\r\n";
  };
  part("text/plain", m.text);
  part("text/html", fmt::format("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{}</body></html>",
                                m.html));
  out += fmt::format("--{}--\r\n", boundary);
  return out;
}

}  // namespace bookstamp::notify
