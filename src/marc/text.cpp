// UTF-8 checks, MARC-8 decoding through yaz_iconv, NFC through YAZ's ICU chain.
#include "marc/text.hpp"

#include <libxml/parser.h>
#include <yaz/icu.h>
#include <yaz/yaz-iconv.h>

#include <cstring>
#include <stdexcept>

namespace bookstamp::marc {

std::size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

struct Marc8Decoder::Handle {
  yaz_iconv_t cd = nullptr;
  ~Handle() {
    if (cd) yaz_iconv_close(cd);
  }
};

Marc8Decoder::Marc8Decoder() : handle_(std::make_unique<Handle>()) {
  handle_->cd = yaz_iconv_open("utf-8", "marc8");
  if (!handle_->cd) throw std::runtime_error("yaz_iconv_open(utf-8, marc8) failed");
}

Marc8Decoder::~Marc8Decoder() = default;

std::optional<std::string> Marc8Decoder::Decode(std::string_view bytes) {
  yaz_iconv_t cd = handle_->cd;
  yaz_iconv(cd, nullptr, nullptr, nullptr, nullptr);  // back to the default sets
  // A MARC-8 byte never becomes more than 4 UTF-8 bytes (EACC: 3 bytes -> 3 bytes).
  std::string out(bytes.size() * 4 + 16, '\0');
  std::string in(bytes);
  char* ib = in.data();
  std::size_t il = in.size();
  char* ob = out.data();
  std::size_t ol = out.size();
  if (yaz_iconv(cd, &ib, &il, &ob, &ol) == static_cast<std::size_t>(-1)) return std::nullopt;
  if (yaz_iconv(cd, nullptr, nullptr, &ob, &ol) == static_cast<std::size_t>(-1)) return std::nullopt;
  out.resize(out.size() - ol);
  return out;
}

struct NfcNormalizer::Chain {
  yaz_icu_chain_t chain = nullptr;
  ~Chain() {
    if (chain) icu_chain_destroy(chain);
  }
};

NfcNormalizer::NfcNormalizer() : chain_(std::make_unique<Chain>()) {
  static const char kConfig[] = R"(<icu_chain locale=""><transform rule="Any-NFC"/></icu_chain>)";
  xmlDocPtr doc = xmlParseMemory(kConfig, static_cast<int>(std::strlen(kConfig)));
  if (!doc) throw std::runtime_error("ICU chain configuration does not parse");
  UErrorCode status = U_ZERO_ERROR;
  chain_->chain = icu_chain_xml_config(xmlDocGetRootElement(doc), 0, &status);
  xmlFreeDoc(doc);
  if (!chain_->chain || U_FAILURE(status)) throw std::runtime_error("YAZ ICU chain (Any-NFC) is not available");
}

NfcNormalizer::~NfcNormalizer() = default;

std::string NfcNormalizer::Normalize(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  std::string s(text);
  // Without a tokenizer the chain yields the whole text as its one token.
  if (!icu_chain_assign_cstr(chain_->chain, s.c_str(), &status) || U_FAILURE(status)) return s;
  std::string out;
  while (icu_chain_next_token(chain_->chain, &status) && U_SUCCESS(status)) out += icu_chain_token_norm(chain_->chain);
  if (U_FAILURE(status)) return s;
  return out;
}

}  // namespace bookstamp::marc
