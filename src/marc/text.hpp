// Character handling for MARC: UTF-8 validation, MARC-8 -> UTF-8 (YAZ's yaz_iconv) and Unicode NFC
// (YAZ's ICU chain, "Any-NFC"). MARC-8 and many UTF-8 records carry letters and combining marks
// apart (NFD: e + U+0301); the catalog stores NFC so text compares and displays the same everywhere.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bookstamp::marc {

// The byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
// past U+10FFFF included), or npos when `s` is valid.
std::size_t FindInvalidUtf8(std::string_view s);

inline bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// MARC-8 (ANSEL, EACC and the other escape-designated sets) to UTF-8. Not thread-safe: one per reader.
class Marc8Decoder {
 public:
  Marc8Decoder();
  ~Marc8Decoder();
  Marc8Decoder(const Marc8Decoder&) = delete;
  Marc8Decoder& operator=(const Marc8Decoder&) = delete;

  // The UTF-8 text, or nullopt when `bytes` is not valid MARC-8 (an unknown escape sequence, a
  // combining mark with nothing after it, a truncated multibyte character). Each call starts in
  // the default sets (ASCII and ANSEL), as each MARC field does.
  std::optional<std::string> Decode(std::string_view bytes);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// Unicode normalization form C. Not thread-safe: one per reader.
class NfcNormalizer {
 public:
  NfcNormalizer();
  ~NfcNormalizer();
  NfcNormalizer(const NfcNormalizer&) = delete;
  NfcNormalizer& operator=(const NfcNormalizer&) = delete;

  // `text` in NFC. ASCII text is returned as it is without calling ICU.
  // REQUIRES: `text` is valid UTF-8.
  std::string Normalize(std::string_view text);

 private:
  struct Chain;
  std::unique_ptr<Chain> chain_;
};

}  // namespace bookstamp::marc
