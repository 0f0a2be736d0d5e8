// Search-side text folding, applied alike to indexed text and to queries so they meet:
// NFC, Latin letters without diacritics (é -> e, ß -> ss, ł -> l: YAZ's ICU chain, Latin-ASCII),
// romanization's ayn and alif marks dropped (Saʻūd -> Saud), apostrophes read as spaces so French
// elisions split (l'école -> l ecole),
// and Chinese folded to one script — simplified, character by character, with OpenCC's
// TSCharacters table (plus its Taiwan and Hong Kong variant tables), so 國 and 国, 臺 and 台,
// 裡 and 裏 find each other. Character by character and not by phrase, so a 1- or 2-character
// query folds exactly as the same characters inside a longer title do. docs/catalog.md "Chinese".
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstamp::search {

class TextFolder {
 public:
  // Loads the OpenCC tables from `opencc_dir` (Debian's libopencc-data: /usr/share/opencc).
  // Throws std::runtime_error when they or YAZ's ICU chain cannot be loaded.
  explicit TextFolder(const std::string& opencc_dir = "/usr/share/opencc");
  ~TextFolder();
  TextFolder(const TextFolder&) = delete;
  TextFolder& operator=(const TextFolder&) = delete;

  // Thread-safe. ASCII text is returned as it is (Xapian lower-cases it anyway).
  std::string Fold(std::string_view text) const;
  // The same folding the slow way (ICU always, OpenCC's converter): what tests compare Fold with.
  std::string FoldThroughOpenCC(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `text` holds a Han, kana or Hangul character.
bool HasCjk(std::string_view text);

// `text` cut into runs that are all CJK or all not, in order: {"北京", true}, {" 2006 ", false}.
std::vector<std::pair<std::string, bool>> SplitCjkRuns(std::string_view text);

}  // namespace bookstamp::search
