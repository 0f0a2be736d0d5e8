// Folding with YAZ's ICU chain (one per thread: chains are not thread-safe) and OpenCC.
#include "search/text_fold.hpp"

#include <libxml/parser.h>
#include <yaz/icu.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/DictGroup.hpp>
#include <opencc/Exception.hpp>
#include <opencc/Lexicon.hpp>
#include <stdexcept>
#include <unordered_map>

namespace bookstamp::search {
namespace {

// NFC first (MARC-8 conversions leave letters and marks apart), then Latin letters to ASCII; other
// scripts (Cyrillic й, Devanagari, Hebrew points) are left alone by the filter.
constexpr char kIcuConfig[] =
    R"(<icu_chain locale=""><transform rule="Any-NFC; [\u02BB\u02BC\u02BE\u02BF] Remove; [\u0080-\u024F\u1E00-\u1EFF] Latin-ASCII"/></icu_chain>)";

class IcuChain {
 public:
  IcuChain() {
    xmlDocPtr doc = xmlParseMemory(kIcuConfig, static_cast<int>(std::strlen(kIcuConfig)));
    if (!doc) throw std::runtime_error("ICU chain configuration does not parse");
    UErrorCode status = U_ZERO_ERROR;
    chain_ = icu_chain_xml_config(xmlDocGetRootElement(doc), 0, &status);
    xmlFreeDoc(doc);
    if (!chain_ || U_FAILURE(status)) throw std::runtime_error("YAZ ICU chain (Latin-ASCII) is not available");
  }
  ~IcuChain() {
    if (chain_) icu_chain_destroy(chain_);
  }
  IcuChain(const IcuChain&) = delete;
  IcuChain& operator=(const IcuChain&) = delete;

  std::string Run(const std::string& text) {
    UErrorCode status = U_ZERO_ERROR;
    if (!icu_chain_assign_cstr(chain_, text.c_str(), &status) || U_FAILURE(status)) return text;
    std::string out;
    while (icu_chain_next_token(chain_, &status) && U_SUCCESS(status)) out += icu_chain_token_norm(chain_);
    return U_FAILURE(status) ? text : out;
  }

 private:
  yaz_icu_chain_t chain_ = nullptr;
};

IcuChain& ThreadChain() {
  thread_local IcuChain chain;
  return chain;
}

std::uint32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Text that NFC, the Latin-ASCII transform and the ayn/alif removal all leave as it is: ASCII, CJK
// punctuation, unified ideographs and full-width forms (none has a canonical decomposition).
bool IcuLeavesAlone(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    auto cp = NextCodePoint(s, i);
    if (!((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
          (cp >= 0xFF00 && cp <= 0xFFEF)))
      return false;
  }
  return true;
}

bool IsCjk(std::uint32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

// Apostrophes (' and ’) become spaces.
std::string SplitElisions(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\'') {
      out.push_back(' ');
    } else if (s.compare(i, 3, "\xE2\x80\x99") == 0) {
      out.push_back(' ');
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

bool HasCjk(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    if (IsCjk(NextCodePoint(text, i))) return true;
  }
  return false;
}

std::vector<std::pair<std::string, bool>> SplitCjkRuns(std::string_view text) {
  std::vector<std::pair<std::string, bool>> out;
  for (std::size_t i = 0; i < text.size();) {
    auto start = i;
    bool cjk = IsCjk(NextCodePoint(text, i));
    if (out.empty() || out.back().second != cjk) out.emplace_back(std::string(), cjk);
    out.back().first.append(text.substr(start, i - start));
  }
  return out;
}

struct TextFolder::Impl {
  opencc::ConverterPtr converter;
  // Every character the conversion changes, and what it becomes. The tables map single characters
  // to single characters and the segmentation is by character, so folding character by character
  // through this table gives what the converter gives, without its per-call work.
  std::unordered_map<std::uint32_t, std::string> changed;

  std::string Convert(const std::string& text) const {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
      auto start = i;
      if (static_cast<unsigned char>(text[i]) < 0x80) {
        out.push_back(text[i++]);
        continue;
      }
      auto it = changed.find(NextCodePoint(text, i));
      if (it != changed.end())
        out += it->second;
      else
        out.append(text, start, i - start);
    }
    return out;
  }
};

TextFolder::TextFolder(const std::string& opencc_dir) : impl_(std::make_unique<Impl>()) {
  // Variants first (Taiwan 裡 -> 裏, Hong Kong forms), then traditional -> simplified, each step
  // character by character: the segmentation dictionary holds single characters only.
  static const std::string kConfig = R"({
    "name": "Bookstamp search folding: traditional to simplified, by character",
    "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "TSCharacters.ocd2"}},
    "conversion_chain": [
      {"dict": {"type": "group", "dicts": [
        {"type": "ocd2", "file": "TWVariantsRev.ocd2"},
        {"type": "ocd2", "file": "HKVariantsRev.ocd2"}]}},
      {"dict": {"type": "ocd2", "file": "TSCharacters.ocd2"}}
    ]})";
  std::string dir = opencc_dir;
  if (!dir.empty() && dir.back() != '/') dir += '/';
  if (!std::filesystem::exists(dir + "TSCharacters.ocd2"))
    throw std::runtime_error("OpenCC tables not found in " + dir + " (Debian package libopencc-data)");
  try {
    // A copy: OpenCC parses the JSON in place, overwriting the string it is given.
    std::string config = kConfig;
    impl_->converter = opencc::Config().NewFromString(config, dir);
    std::vector<opencc::DictPtr> dicts;
    for (const auto& conversion : impl_->converter->GetConversionChain()->GetConversions()) {
      auto dict = conversion->GetDict();
      if (auto group = std::dynamic_pointer_cast<opencc::DictGroup>(dict))
        for (const auto& d : group->GetDicts()) dicts.push_back(d);
      else
        dicts.push_back(dict);
    }
    for (const auto& dict : dicts) {
      auto lexicon = dict->GetLexicon();
      for (const auto& entry : *lexicon) {
        auto key = entry->Key();
        std::size_t i = 0;
        auto cp = NextCodePoint(key, i);
        if (i != key.size()) throw std::runtime_error("OpenCC table entry of more than one character: " + key);
        if (auto folded = impl_->converter->Convert(key); folded != key) impl_->changed.emplace(cp, folded);
      }
    }
  } catch (const opencc::Exception& e) {
    throw std::runtime_error(std::string("OpenCC: ") + e.what());
  }
  ThreadChain();  // fail now, not at the first search, when ICU is missing
}

TextFolder::~TextFolder() = default;

std::string TextFolder::Fold(std::string_view text) const {
  if (IsAscii(text)) return SplitElisions(std::string(text));
  std::string out = SplitElisions(IcuLeavesAlone(text) ? std::string(text) : ThreadChain().Run(std::string(text)));
  if (HasCjk(out)) out = impl_->Convert(out);
  return out;
}

std::string TextFolder::FoldThroughOpenCC(std::string_view text) const {
  if (IsAscii(text)) return SplitElisions(std::string(text));
  std::string out = SplitElisions(ThreadChain().Run(std::string(text)));
  if (HasCjk(out)) out = impl_->converter->Convert(out);
  return out;
}

}  // namespace bookstamp::search
