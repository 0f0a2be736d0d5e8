// ISO 2709 parsing and field decoding.
#include "marc/iso2709.hpp"

#include <fmt/format.h>

#include <cctype>

namespace bookstamp::marc {
namespace {

bool Digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::size_t Number(std::string_view s) {
  std::size_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::size_t>(c - '0');
  return v;
}

bool ValidTag(std::string_view tag) {
  if (tag.size() != 3) return false;
  for (char c : tag)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

bool IsLocal(std::string_view tag) { return tag.size() == 3 && (tag[0] == '9' || tag[1] == '9' || tag[2] == '9'); }

// A valid indicator, normalized: '#' and '_' (used for blank by some systems) become ' '.
std::optional<char> Indicator(char c, std::string_view tag) {
  if (c == ' ' || c == '#' || c == '_') return ' ';
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '|') return c;
  if (IsLocal(tag) && c > 0x20 && c < 0x7F && c != kSubfieldDelimiter) return c;
  return std::nullopt;
}

std::string Shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("0x{:02X}", u);
}

// Splits "ind1 ind2 \x1Fa...\x1Fb..." (already UTF-8) into a Field.
std::expected<Field, std::string> SplitDataField(const std::string& tag, std::string_view text, NfcNormalizer& nfc) {
  Field f;
  f.tag = tag;
  if (text.size() < 2) return std::unexpected(fmt::format("field {}: no indicators", tag));
  auto i1 = Indicator(text[0], tag), i2 = Indicator(text[1], tag);
  if (!i1 || !i2)
    return std::unexpected(fmt::format("field {}: bad indicators {} {}", tag, Shown(text[0]), Shown(text[1])));
  f.ind1 = *i1;
  f.ind2 = *i2;
  auto rest = text.substr(2);
  if (rest.empty()) return f;
  if (rest[0] != kSubfieldDelimiter)
    return std::unexpected(fmt::format("field {}: data does not start with a subfield delimiter", tag));
  std::size_t pos = 1;
  while (pos <= rest.size()) {
    auto end = rest.find(kSubfieldDelimiter, pos);
    if (end == std::string_view::npos) end = rest.size();
    auto part = rest.substr(pos, end - pos);
    pos = end + 1;
    // Blanks between the delimiter and the code ("\x1F a0306406152", seen in real catalogues) are
    // a slip of the keyboard, not a code.
    while (part.size() > 1 && part[0] == ' ') part.remove_prefix(1);
    if (part.empty() || part == " ") continue;  // a stray delimiter
    auto code = static_cast<unsigned char>(part[0]);
    if (code < 0x21 || code > 0x7E)
      return std::unexpected(fmt::format("field {}: bad subfield code {}", tag, Shown(part[0])));
    f.subfields.push_back({part[0], nfc.Normalize(part.substr(1))});
  }
  return f;
}

}  // namespace

std::expected<RawRecord, std::string> ParseIso2709(std::string_view bytes) {
  if (bytes.size() < 25)
    return std::unexpected(fmt::format("record of {} bytes is shorter than a leader", bytes.size()));
  if (bytes.back() != kRecordTerminator) return std::unexpected("record does not end with a record terminator");
  RawRecord r;
  r.leader = std::string(bytes.substr(0, 24));
  auto length = r.leader.substr(0, 5), base_s = r.leader.substr(12, 5);
  if (!Digits(length)) return std::unexpected(fmt::format("leader: record length '{}' is not five digits", length));
  if (!Digits(base_s)) return std::unexpected(fmt::format("leader: base address '{}' is not five digits", base_s));
  if (Number(length) != bytes.size())
    return std::unexpected(fmt::format("leader: record length {} but the record terminator comes after {} bytes",
                                       Number(length), bytes.size()));
  auto base = Number(base_s);
  if (base < 25 || base >= bytes.size())
    return std::unexpected(fmt::format("leader: base address {} is outside the record", base));
  if (bytes[base - 1] != kFieldTerminator)
    return std::unexpected("directory: does not end with a field terminator at the base address");
  auto directory = bytes.substr(24, base - 1 - 24);
  if (directory.size() % 12 != 0)
    return std::unexpected(
        fmt::format("directory: {} bytes is not a whole number of 12-byte entries", directory.size()));
  auto data_end = bytes.size() - 1;  // the record terminator
  for (std::size_t i = 0; i < directory.size(); i += 12) {
    auto entry = directory.substr(i, 12);
    auto n = i / 12 + 1;
    std::string tag(entry.substr(0, 3));
    if (!ValidTag(tag))
      return std::unexpected(fmt::format("directory entry {}: tag '{}' is not three letters or digits", n, tag));
    auto len_s = entry.substr(3, 4), start_s = entry.substr(7, 5);
    if (!Digits(len_s) || !Digits(start_s))
      return std::unexpected(fmt::format("directory entry {} (tag {}): length or position is not digits", n, tag));
    auto len = Number(len_s), start = Number(start_s);
    if (len == 0) return std::unexpected(fmt::format("directory entry {} (tag {}): zero length", n, tag));
    if (base + start + len > data_end)
      return std::unexpected(fmt::format("directory entry {} (tag {}): field runs past the end of the record", n, tag));
    auto field = bytes.substr(base + start, len);
    if (field.back() != kFieldTerminator)
      return std::unexpected(
          fmt::format("directory entry {} (tag {}): field does not end with a field terminator", n, tag));
    r.fields.push_back({tag, field.substr(0, len - 1)});
  }
  return r;
}

Encoding DetectEncoding(const RawRecord& raw) {
  if (raw.leader.size() > 9 && raw.leader[9] == 'a') return Encoding::kUtf8;
  bool multibyte = false;
  for (const auto& f : raw.fields) {
    if (f.bytes.find('\x1B') != std::string_view::npos) return Encoding::kMarc8;
    if (!IsAscii(f.bytes)) {
      if (FindInvalidUtf8(f.bytes) != std::string_view::npos) return Encoding::kMarc8;
      multibyte = true;
    }
  }
  return multibyte ? Encoding::kUtf8 : Encoding::kMarc8;
}

std::expected<Record, std::string> DecodeRecord(const RawRecord& raw, Encoding encoding, Marc8Decoder& marc8,
                                                NfcNormalizer& nfc) {
  Record rec;
  rec.leader = raw.leader;
  if (encoding == Encoding::kUtf8) rec.leader[9] = 'a';
  for (const auto& rf : raw.fields) {
    std::string text;
    if (encoding == Encoding::kUtf8 || (IsAscii(rf.bytes) && rf.bytes.find('\x1B') == std::string_view::npos)) {
      if (auto bad = FindInvalidUtf8(rf.bytes); bad != std::string_view::npos)
        return std::unexpected(fmt::format("field {}: invalid UTF-8 at byte {} of the field", rf.tag, bad));
      text = std::string(rf.bytes);
    } else {
      auto decoded = marc8.Decode(rf.bytes);
      if (!decoded) return std::unexpected(fmt::format("field {}: invalid MARC-8", rf.tag));
      text = std::move(*decoded);
    }
    bool control = rf.tag[0] == '0' && rf.tag[1] == '0';
    if (control) {
      Field f;
      f.tag = rf.tag;
      f.data = nfc.Normalize(text);
      rec.fields.push_back(std::move(f));
      continue;
    }
    auto f = SplitDataField(rf.tag, text, nfc);
    if (!f) return std::unexpected(f.error());
    if (!f->subfields.empty()) rec.fields.push_back(std::move(*f));
  }
  return rec;
}

std::expected<Record, std::string> CheckRecord(Record record, NfcNormalizer& nfc) {
  if (record.leader.size() != 24)
    return std::unexpected(fmt::format("leader: {} characters, expected 24", record.leader.size()));
  record.leader[9] = 'a';
  std::vector<Field> kept;
  for (auto& f : record.fields) {
    if (!ValidTag(f.tag)) return std::unexpected(fmt::format("tag '{}' is not three letters or digits", f.tag));
    if (FindInvalidUtf8(f.data) != std::string_view::npos)
      return std::unexpected(fmt::format("field {}: invalid UTF-8", f.tag));
    if (f.IsControl()) {
      f.data = nfc.Normalize(f.data);
      kept.push_back(std::move(f));
      continue;
    }
    auto i1 = Indicator(f.ind1, f.tag), i2 = Indicator(f.ind2, f.tag);
    if (!i1 || !i2)
      return std::unexpected(fmt::format("field {}: bad indicators {} {}", f.tag, Shown(f.ind1), Shown(f.ind2)));
    f.ind1 = *i1;
    f.ind2 = *i2;
    for (auto& s : f.subfields) {
      auto code = static_cast<unsigned char>(s.code);
      if (code < 0x21 || code > 0x7E)
        return std::unexpected(fmt::format("field {}: bad subfield code {}", f.tag, Shown(s.code)));
      if (FindInvalidUtf8(s.value) != std::string_view::npos)
        return std::unexpected(fmt::format("field {}: invalid UTF-8", f.tag));
      s.value = nfc.Normalize(s.value);
    }
    if (!f.subfields.empty()) kept.push_back(std::move(f));
  }
  record.fields = std::move(kept);
  return record;
}

}  // namespace bookstamp::marc
