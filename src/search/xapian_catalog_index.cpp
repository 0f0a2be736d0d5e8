// Xapian terms, values and queries for the catalog. The scheme (docs/catalog.md "Index"), format 2:
//   each text field once, under its prefix: S title, A author, XP publisher, XS subject,
//     XR series, XK class number — folded (text_fold.hpp), CJK as 1- and 2-character n-grams
//     (FLAG_CJK_NGRAM) without positions, other scripts with positions (phrases) and English
//     stemming (STEM_SOME: Z-prefixed stems beside the words; never on CJK n-grams); free text
//     is searched across all of those prefixes;
//   boolean: XI ISBN (as written and as ISBN-13), XC every prefix of the class number,
//     XB branch, L language, Y year, XE the exact title (folded, letters and digits only);
//   values: 0 year "YYYY" (ranges, sort), 3 the facets packed in a few bytes: year, then language
//     and branches as numbers (FacetCodes, listed in the metadata key "facet_codes").
// Format 1 (no "format" metadata) indexed every field twice and kept facets in three values.
#include "search/xapian_catalog_index.hpp"

#include <fmt/format.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <fstream>
#include <map>

#include "app/isbn.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp::search {
namespace {

constexpr Xapian::valueno kYearSlot = 0;
constexpr Xapian::valueno kFacetSlot = 3;
constexpr char kSeqKey[] = "journal_seq";
constexpr char kFormatKey[] = "format";
constexpr char kFormat[] = "2";
constexpr char kFacetCodesKey[] = "facet_codes";
// B-tree blocks of a new generation: a common word's posting list is read in a quarter of the
// system calls of Xapian's default 8 KiB (7% less server CPU per query at 1M records).
constexpr int kBlockSize = 32768;
// The prefixes free text is searched in (each text field is indexed once, under its prefix).
constexpr const char* kTextPrefixes[] = {"S", "A", "XP", "XS", "XR", "XK"};
constexpr double kExactTitleBoost = 20.0;
constexpr unsigned kMaxTermBytes = 200;

std::string Fnv1a64Hex(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

// A term no longer than Xapian allows: long ones are replaced by a hash.
std::string Term(const std::string& prefix, const std::string& body) {
  if (body.size() <= kMaxTermBytes) return prefix + body;
  return prefix + "#" + Fnv1a64Hex(body);
}

// Letters and digits of the folded text, lower-cased: "L'autre monde : mythes" -> "lautremondemythes".
std::string ExactKey(const TextFolder& folder, std::string_view text) {
  auto folded = folder.Fold(text);
  std::string out;
  for (Xapian::Utf8Iterator it(folded); it != Xapian::Utf8Iterator(); ++it) {
    unsigned ch = *it;
    if (Xapian::Unicode::is_wordchar(ch)) Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(ch));
  }
  return out;
}

std::int64_t ParseSeq(const std::string& s) {
  if (s.empty()) return 0;
  try {
    return std::stoll(s);
  } catch (...) {
    return 0;
  }
}

// Language and branch codes as small numbers, so a record's facet value is a few bytes (about 5
// instead of 25 as text) and the spy counts by table index instead of comparing strings.
// Kept in the generation's metadata (kFacetCodesKey), one code per line; number n is line n.
class FacetCodes {
 public:
  static FacetCodes Load(const Xapian::Database& db) {
    FacetCodes codes;
    auto text = db.get_metadata(kFacetCodesKey);
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      codes.Add(text.substr(start, end - start));
      start = end + 1;
    }
    codes.changed_ = false;
    return codes;
  }
  // Writes the codes back when new ones were added.
  void Save(Xapian::WritableDatabase& db) {
    if (!changed_) return;
    std::string text;
    for (const auto& c : names_) text.append(c).push_back('\n');
    db.set_metadata(kFacetCodesKey, text);
    changed_ = false;
  }
  std::uint32_t Code(const std::string& name) {
    if (auto it = numbers_.find(name); it != numbers_.end()) return it->second;
    changed_ = true;
    return Add(name);
  }
  const std::string& Name(std::uint32_t code) const { return names_.at(code); }
  std::size_t size() const { return names_.size(); }

 private:
  std::uint32_t Add(std::string name) {
    auto n = static_cast<std::uint32_t>(names_.size());
    numbers_.emplace(name, n);
    names_.push_back(std::move(name));
    return n;
  }
  std::vector<std::string> names_;
  std::map<std::string, std::uint32_t> numbers_;
  bool changed_ = false;
};

void PutVarint(std::string& out, std::uint32_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

bool GetVarint(std::string_view& in, std::uint32_t& n) {
  n = 0;
  for (int shift = 0; !in.empty() && shift < 32; shift += 7) {
    auto c = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    n |= static_cast<std::uint32_t>(c & 0x7F) << shift;
    if (c < 0x80) return true;
  }
  return false;
}

// The facet value: year (2 bytes, big-endian, 0 for none), then language and branches as
// varints of their code plus one (0: no language).
std::string FacetValueOf(const IndexedBib& b, FacetCodes& codes) {
  std::string out;
  int year = b.year && *b.year > 0 && *b.year <= 9999 ? *b.year : 0;
  out.push_back(static_cast<char>(year >> 8));
  out.push_back(static_cast<char>(year & 0xFF));
  PutVarint(out, b.language.empty() ? 0 : codes.Code(b.language) + 1);
  for (const auto& br : b.branches) PutVarint(out, codes.Code(br) + 1);
  return out;
}

// Counts facet values over the matches Xapian examines. Called once per examined match, so it
// reads one value of a few bytes and allocates nothing: counts in tables indexed by year and code.
class FacetSpy final : public Xapian::MatchSpy {
 public:
  using Counts = std::vector<std::pair<std::string, std::int64_t>>;
  explicit FacetSpy(std::size_t codes)
      : year_counts_(10000, 0), language_counts_(codes + 1, 0), branch_counts_(codes + 1, 0) {}
  void operator()(const Xapian::Document& doc, double) override {
    ++seen;
    value_ = doc.get_value(kFacetSlot);
    std::string_view rest(value_);
    if (rest.size() < 2) return;
    int year = (static_cast<unsigned char>(rest[0]) << 8) | static_cast<unsigned char>(rest[1]);
    rest.remove_prefix(2);
    if (year > 0 && year < 10000) ++year_counts_[static_cast<std::size_t>(year)];
    std::uint32_t code = 0;
    if (!GetVarint(rest, code)) return;
    if (code > 0 && code < language_counts_.size()) ++language_counts_[code];
    while (GetVarint(rest, code))
      if (code > 0 && code < branch_counts_.size()) ++branch_counts_[code];
  }
  Counts Years() const {
    Counts out;
    for (std::size_t y = 0; y < year_counts_.size(); ++y)
      if (year_counts_[y]) out.emplace_back(fmt::format("{:04}", y), year_counts_[y]);
    return out;
  }
  Counts Languages(const FacetCodes& codes) const { return Named(language_counts_, codes); }
  Counts Branches(const FacetCodes& codes) const { return Named(branch_counts_, codes); }
  std::int64_t seen = 0;

 private:
  static Counts Named(const std::vector<std::int64_t>& counts, const FacetCodes& codes) {
    Counts out;
    for (std::size_t c = 1; c < counts.size(); ++c)
      if (counts[c]) out.emplace_back(codes.Name(static_cast<std::uint32_t>(c - 1)), counts[c]);
    return out;
  }
  std::vector<std::int64_t> year_counts_, language_counts_, branch_counts_;
  std::string value_;
};

// Where the first `k` matches end. The matcher considers at least that many, in docid order, before
// it may stop ranking early (check_at_least); when it stops, that sample's share of the docid range
// estimates the total far better than term statistics, which take the words of a query as
// independent (圖書 and 書館 are not).
class SampleEdgeSpy final : public Xapian::MatchSpy {
 public:
  explicit SampleEdgeSpy(Xapian::doccount k) : k_(k) {}
  void operator()(const Xapian::Document& doc, double) override {
    if (++seen_ == k_) edge = doc.get_docid();
  }
  Xapian::docid edge = 0;  // the docid of the k-th match; 0 while fewer were seen

 private:
  Xapian::doccount k_;
  Xapian::doccount seen_ = 0;
};

std::vector<FacetValue> Top(FacetSpy::Counts counts, std::size_t limit) {
  // By count, then by value, as before (ties in value order).
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<FacetValue> out;
  for (auto& [v, n] : counts) {
    if (out.size() >= limit) break;
    out.push_back({std::move(v), n});
  }
  return out;
}

// Sort key by year; records without a year come last either way.
class YearKey final : public Xapian::KeyMaker {
 public:
  explicit YearKey(bool newest) : newest_(newest) {}
  std::string operator()(const Xapian::Document& doc) const override {
    auto y = doc.get_value(kYearSlot);
    if (y.size() != 4) return "~";
    if (!newest_) return y;
    return fmt::format("{:04}", 9999 - std::stoi(y));
  }

 private:
  bool newest_;
};

// CJK n-grams carry no positions, so a quoted phrase holding CJK is read as its words: its
// bigrams keep the characters together ("紅樓夢" needs 紅樓 and 樓夢). Other phrases stay phrases.
std::string UnquoteCjkPhrases(const std::string& text) {
  if (!HasCjk(text)) return text;
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find('"', pos);
    auto close = open == std::string::npos ? std::string::npos : text.find('"', open + 1);
    if (close == std::string::npos) {
      out.append(text, pos, std::string::npos);
      break;
    }
    out.append(text, pos, open - pos);
    auto inner = std::string_view(text).substr(open + 1, close - open - 1);
    if (HasCjk(inner)) {
      out.push_back(' ');
      out.append(inner);
      out.push_back(' ');
    } else {
      out.append(text, open, close - open + 1);
    }
    pos = close + 1;
  }
  return out;
}

// Free text holding Chinese, read without the query parser's CJK n-grams (docs/catalog.md "Search").
// The parser ANDs every unigram of a word with its bigrams ("台湾" -> 台 AND 台湾 AND 湾), so a
// common word walks the long unigram lists too; the bigrams alone find the same records (a
// record's bigrams come from the same runs as its unigrams) and read a fraction of the postings.
// Here a word of ideographs is its bigrams (a lone character: its unigram), ANDed, within one field
// (any of the free-text fields, or the one named); other words go through the parser as before.
// Boolean syntax (AND, OR, brackets) and characters other than ASCII, ideographs and CJK
// punctuation are left to the parser in its CJK mode: Handles() says which.
class CjkQueryBuilder {
 public:
  static bool Handles(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
      auto c = static_cast<unsigned char>(text[i]);
      if (c < 0x80) {
        if (c == '(' || c == ')') return false;
        ++i;
        continue;
      }
      auto cp = Next(text, i);
      if (!IsIdeograph(cp) && !IsPunctuation(cp)) return false;
    }
    for (auto word : Words(text))
      for (const char* op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"})
        if (word == op) return false;
    return true;
  }

  // REQUIRES: Handles(text).
  static Xapian::Query Build(Xapian::QueryParser& qp, unsigned flags, std::string_view text,
                             const std::string& default_prefix) {
    static const std::pair<std::string_view, const char*> kFields[] = {
        {"title", "S"}, {"author", "A"}, {"publisher", "XP"}, {"subject", "XS"}, {"series", "XR"}};
    std::vector<std::string> defaults;
    if (default_prefix.empty())
      defaults.assign(std::begin(kTextPrefixes), std::end(kTextPrefixes));
    else
      defaults.push_back(default_prefix);
    std::string plain;
    std::vector<Xapian::Query> must, must_not;
    for (auto word : Words(text)) {
      std::string_view sign;
      if (word[0] == '+' || word[0] == '-') sign = word.substr(0, 1);
      auto body = word.substr(sign.size());
      std::string_view field;
      std::vector<std::string> one;
      const std::vector<std::string>* prefixes = &defaults;
      for (const auto& [name, prefix] : kFields)
        if (body.size() > name.size() && body.starts_with(name) && body[name.size()] == ':') {
          field = body.substr(0, name.size() + 1);
          body.remove_prefix(name.size() + 1);
          one = {prefix};
          prefixes = &one;
          break;
        }
      // Cut the word into runs of ideographs and the rest.
      for (std::size_t i = 0; i < body.size();) {
        auto start = i;
        bool ideograph = static_cast<unsigned char>(body[i]) >= 0x80 && IsIdeograph(Peek(body, i));
        while (i < body.size()) {
          bool is = static_cast<unsigned char>(body[i]) >= 0x80 && IsIdeograph(Peek(body, i));
          if (is != ideograph) break;
          Next(body, i);
        }
        auto run = body.substr(start, i - start);
        if (!ideograph) {
          // CJK punctuation is no word; the rest goes to the parser with the word's sign and field.
          std::string rest;
          for (std::size_t k = 0; k < run.size();) {
            auto from = k;
            if (static_cast<unsigned char>(run[k]) >= 0x80) {
              Next(run, k);
              rest.push_back(' ');
            } else {
              ++k;
              rest.append(run.substr(from, 1));
            }
          }
          for (auto part : Words(rest)) {
            plain.append(sign).append(field).append(part);
            plain.push_back(' ');
          }
          continue;
        }
        auto grams = Grams(run);
        std::vector<Xapian::Query> per_field;
        for (const auto& prefix : *prefixes) {
          std::vector<Xapian::Query> terms;
          for (const auto& g : grams) terms.emplace_back(prefix + g);
          per_field.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
        }
        Xapian::Query q(Xapian::Query::OP_OR, per_field.begin(), per_field.end());
        (sign == "-" ? must_not : must).push_back(std::move(q));
      }
    }
    if (!plain.empty()) {
      auto parsed = qp.parse_query(plain, flags, default_prefix);
      if (!parsed.empty()) must.push_back(std::move(parsed));
    }
    if (must.empty() && must_not.empty()) return Xapian::Query();
    Xapian::Query q =
        must.empty() ? Xapian::Query::MatchAll : Xapian::Query(Xapian::Query::OP_AND, must.begin(), must.end());
    if (!must_not.empty())
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                        Xapian::Query(Xapian::Query::OP_OR, must_not.begin(), must_not.end()));
    return q;
  }

 private:
  static std::uint32_t Next(std::string_view s, std::size_t& i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    return cp;
  }
  static std::uint32_t Peek(std::string_view s, std::size_t i) { return Next(s, i); }
  // Unified ideographs (the extensions too): word characters, n-grammed by Xapian like the index's.
  static bool IsIdeograph(std::uint32_t cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
           (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
  // CJK punctuation that is no word character (、。〈〉《》「」『』【】 and the like).
  static bool IsPunctuation(std::uint32_t cp) {
    return (cp >= 0x3000 && cp <= 0x3004) || (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F);
  }
  static std::vector<std::string_view> Words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      auto start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
  }
  // A lone character, or the bigrams of a run.
  static std::vector<std::string> Grams(std::string_view run) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < run.size();) {
      starts.push_back(i);
      Next(run, i);
    }
    starts.push_back(run.size());
    std::vector<std::string> out;
    if (starts.size() == 2) {
      out.emplace_back(run);
      return out;
    }
    for (std::size_t k = 0; k + 2 < starts.size(); ++k)
      out.emplace_back(run.substr(starts[k], starts[k + 2] - starts[k]));
    return out;
  }
};

bool IsbnLike(std::string_view q) {
  std::string digits;
  for (char c : q) {
    if (c == '-' || c == ' ') continue;
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == 'X' || c == 'x')) return false;
    digits.push_back(c);
  }
  return digits.size() == 10 || digits.size() == 13;
}

Xapian::Query IsbnQuery(std::string_view text) {
  auto forms = isbn::SearchForms(text);
  if (forms.empty()) {
    std::string raw;
    for (char c : text)
      if (c != '-' && c != ' ') raw.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    forms.push_back(raw);
  }
  std::vector<Xapian::Query> terms;
  for (const auto& f : forms) terms.emplace_back(Term("XI", f));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

std::string NormalizeClassNumber(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '/' || c == '\'' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

struct XapianCatalogIndex::Reader {
  std::string generation;
  Xapian::Database db;
  bool current_format = false;  // the generation was written in this code's format
};

namespace {
bool IsCurrentFormat(const Xapian::Database& db) { return db.get_metadata(kFormatKey) == kFormat; }
}  // namespace

class XapianCatalogIndex::Builder final : public CatalogIndexBuilder {
 public:
  Builder(XapianCatalogIndex& owner, std::string generation)
      : owner_(owner),
        generation_(std::move(generation)),
        db_((owner.dir_ / generation_).string(), Xapian::DB_CREATE_OR_OVERWRITE, kBlockSize) {}
  ~Builder() override {
    if (finished_) return;
    try {
      db_.close();
    } catch (...) {
    }
    std::error_code ignored;
    std::filesystem::remove_all(owner_.dir_ / generation_, ignored);
  }
  void Add(const IndexedBib& bib) override {
    auto doc = owner_.MakeDocument(bib);
    doc.add_value(kFacetSlot, FacetValueOf(bib, codes_));
    db_.replace_document(static_cast<Xapian::docid>(bib.id.value()), doc);
  }
  void Finish(std::int64_t seq) override {
    codes_.Save(db_);
    db_.set_metadata(kFormatKey, kFormat);
    db_.set_metadata(kSeqKey, std::to_string(seq));
    db_.commit();
    db_.close();
    finished_ = true;
    owner_.SwitchTo(generation_);
  }

 private:
  XapianCatalogIndex& owner_;
  std::string generation_;
  Xapian::WritableDatabase db_;
  FacetCodes codes_;
  bool finished_ = false;
};

XapianCatalogIndex::XapianCatalogIndex(std::filesystem::path dir, XapianIndexOptions options)
    : dir_(std::move(dir)), options_(std::move(options)), folder_(options_.opencc_dir) {
  std::filesystem::create_directories(dir_);
  if (!std::filesystem::exists(dir_ / "CURRENT")) {
    // A first, empty generation.
    const std::string first = "gen-000001";
    try {
      Xapian::WritableDatabase db((dir_ / first).string(), Xapian::DB_CREATE_OR_OPEN, kBlockSize);
      db.set_metadata(kFormatKey, kFormat);
      db.commit();
    } catch (const Xapian::Error& e) {
      throw std::runtime_error("search index " + dir_.string() + ": " + e.get_description());
    }
    SwitchTo(first);
  }
}

XapianCatalogIndex::~XapianCatalogIndex() = default;

std::string XapianCatalogIndex::CurrentGeneration() const {
  std::ifstream in(dir_ / "CURRENT");
  std::string gen;
  std::getline(in, gen);
  if (gen.empty()) throw StoreUnavailable("search index: " + (dir_ / "CURRENT").string() + " is missing or empty");
  return gen;
}

void XapianCatalogIndex::SwitchTo(const std::string& generation) {
  std::string previous;
  if (std::filesystem::exists(dir_ / "CURRENT")) previous = CurrentGeneration();
  auto tmp = dir_ / "CURRENT.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << generation << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, dir_ / "CURRENT");
  // Keep the live generation and the one before it (a process may still be reading it).
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    auto name = entry.path().filename().string();
    if (name.starts_with("gen-") && name != generation && name != previous && name < generation)
      std::filesystem::remove_all(entry.path(), ec);
  }
}

Xapian::WritableDatabase& XapianCatalogIndex::Writer() {
  auto gen = CurrentGeneration();
  if (writer_ && writer_generation_ == gen) return *writer_;
  if (writer_) {
    try {
      writer_->close();
    } catch (const Xapian::Error&) {
      // The old generation may be gone already; nothing to keep from it.
    }
    writer_.reset();
  }
  try {
    writer_ = std::make_unique<Xapian::WritableDatabase>((dir_ / gen).string(), Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    throw StoreUnavailable("search index " + dir_.string() +
                           " is being written by another process (a running server?)");
  } catch (const Xapian::Error& e) {
    throw StoreUnavailable("search index: " + e.get_description());
  }
  writer_generation_ = gen;
  return *writer_;
}

bool XapianCatalogIndex::NeedsRebuild() {
  auto r = AcquireReader();
  bool outdated = !r->current_format;
  ReleaseReader(std::move(r));
  return outdated;
}

void XapianCatalogIndex::ReleaseWriter() {
  std::lock_guard lock(write_mu_);
  if (writer_) writer_->close();
  writer_.reset();
  writer_generation_.clear();
}

std::int64_t XapianCatalogIndex::AppliedSeq() {
  std::lock_guard lock(write_mu_);
  try {
    return ParseSeq(Writer().get_metadata(kSeqKey));
  } catch (const Xapian::Error& e) {
    throw StoreUnavailable("search index: " + e.get_description());
  }
}

bool XapianCatalogIndex::Apply(std::int64_t from_seq, std::int64_t through_seq, const std::vector<IndexedBib>& upserts,
                               const std::vector<BibId>& removals) {
  std::lock_guard lock(write_mu_);
  try {
    auto& db = Writer();
    if (ParseSeq(db.get_metadata(kSeqKey)) != from_seq) return false;
    if (!IsCurrentFormat(db))
      throw StoreUnavailable("search index " + dir_.string() + ": an older format; it must be rebuilt first");
    auto codes = FacetCodes::Load(db);
    for (const auto& b : upserts) {
      auto doc = MakeDocument(b);
      doc.add_value(kFacetSlot, FacetValueOf(b, codes));
      db.replace_document(static_cast<Xapian::docid>(b.id.value()), doc);
    }
    codes.Save(db);
    for (auto id : removals) {
      try {
        db.delete_document(static_cast<Xapian::docid>(id.value()));
      } catch (const Xapian::DocNotFoundError&) {
        // Never indexed, or removed already.
      }
    }
    db.set_metadata(kSeqKey, std::to_string(through_seq));
    db.commit();
    return true;
  } catch (const Xapian::Error& e) {
    // Start over from the database on disk next time.
    writer_.reset();
    writer_generation_.clear();
    throw StoreUnavailable("search index: " + e.get_description());
  }
}

std::unique_ptr<CatalogIndexBuilder> XapianCatalogIndex::Rebuild() {
  int last = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    auto name = entry.path().filename().string();
    if (name.starts_with("gen-")) {
      try {
        last = std::max(last, std::stoi(name.substr(4)));
      } catch (...) {
      }
    }
  }
  try {
    return std::make_unique<Builder>(*this, fmt::format("gen-{:06}", last + 1));
  } catch (const Xapian::Error& e) {
    throw StoreUnavailable("search index: " + e.get_description());
  }
}

std::int64_t XapianCatalogIndex::DocCount() {
  auto r = AcquireReader();
  auto n = static_cast<std::int64_t>(r->db.get_doccount());
  ReleaseReader(std::move(r));
  return n;
}

std::unique_ptr<XapianCatalogIndex::Reader> XapianCatalogIndex::AcquireReader() {
  auto gen = CurrentGeneration();
  std::unique_ptr<Reader> r;
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      r = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  try {
    if (r && r->generation == gen) {
      r->db.reopen();
      return r;
    }
    r = std::make_unique<Reader>(Reader{gen, Xapian::Database((dir_ / gen).string())});
    r->current_format = IsCurrentFormat(r->db);
    return r;
  } catch (const Xapian::Error& e) {
    throw StoreUnavailable("search index: " + e.get_description());
  }
}

void XapianCatalogIndex::ReleaseReader(std::unique_ptr<Reader> r) {
  std::lock_guard lock(readers_mu_);
  if (idle_readers_.size() < 16) idle_readers_.push_back(std::move(r));
}

Xapian::Document XapianCatalogIndex::MakeDocument(const IndexedBib& b) const {
  Xapian::Document doc;
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("en"));
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  tg.set_document(doc);
  // Each field once, under its prefix; titles count most, authors next. Free text is searched
  // across the prefixes (kTextPrefixes). CJK runs get neither a stemmer (Xapian 1.4 would add a
  // Z-prefixed copy of every n-gram) nor positions: their bigrams already hold the characters
  // together, and n-gram positions were most of the index's size and writing time. Other
  // scripts keep positions, so "phrases" work in every field.
  auto field = [&](const std::string& text, const char* prefix, Xapian::termcount weight) {
    if (text.empty()) return;
    for (const auto& [run, cjk] : SplitCjkRuns(folder_.Fold(text))) {
      if (cjk) {
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
        tg.index_text_without_positions(run, weight, prefix);
      } else {
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        tg.index_text(run, weight, prefix);
      }
    }
    tg.increase_termpos();  // no phrase across two values of a field
  };
  field(b.title, "S", 3);
  field(b.title_vernacular, "S", 3);
  field(b.author, "A", 2);
  field(b.author_vernacular, "A", 2);
  field(b.publisher, "XP", 1);
  field(b.publisher_vernacular, "XP", 1);
  for (const auto& s : b.subjects) field(s, "XS", 1);
  for (const auto& s : b.series) field(s, "XR", 1);
  field(b.class_no, "XK", 1);

  // wdf 1, not a boolean term: the exact-title boost needs the term to carry weight.
  for (const auto& t : {b.title, b.title_vernacular})
    if (auto key = ExactKey(folder_, t); !key.empty()) doc.add_term(Term("XE", key), 1);
  // A bare ISBN in the search box is looked up here too (IsbnLike in Search).
  for (const auto& i : b.isbns)
    for (const auto& form : isbn::SearchForms(i)) doc.add_boolean_term(Term("XI", form));
  auto cls = NormalizeClassNumber(b.class_no);
  for (std::size_t n = 1; n <= std::min<std::size_t>(cls.size(), 40); ++n) {
    // Only whole characters, and not ending in a '.', which queries never do.
    if (n < cls.size() && (static_cast<unsigned char>(cls[n]) & 0xC0) == 0x80) continue;
    if (cls[n - 1] == '.') continue;
    doc.add_boolean_term(Term("XC", cls.substr(0, n)));
  }
  if (b.year) {
    auto year = fmt::format("{:04}", *b.year);
    doc.add_value(kYearSlot, year);
    doc.add_boolean_term("Y" + year);
  }
  if (!b.language.empty()) doc.add_boolean_term("L" + b.language);
  for (const auto& br : b.branches) doc.add_boolean_term(Term("XB", br));
  doc.set_data(std::to_string(b.id.value()));
  return doc;
}

CatalogHits XapianCatalogIndex::Search(const CatalogQuery& q) {
  for (int attempt = 0;; ++attempt) {
    auto reader = AcquireReader();
    if (!reader->current_format)
      throw StoreUnavailable("search index: being rebuilt in a new format (an older generation is live)");
    try {
      auto& db = reader->db;
      Xapian::QueryParser qp;
      qp.set_database(db);
      qp.set_stemmer(Xapian::Stem("en"));
      qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      qp.set_default_op(Xapian::Query::OP_AND);
      qp.add_prefix("title", "S");
      qp.add_prefix("author", "A");
      qp.add_prefix("publisher", "XP");
      qp.add_prefix("subject", "XS");
      qp.add_prefix("series", "XR");
      for (const char* prefix : kTextPrefixes) qp.add_prefix("", prefix);
      const unsigned kFlags =
          Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM | Xapian::QueryParser::FLAG_WILDCARD;
      auto parse = [&](const std::string& text, const std::string& prefix) {
        auto folded = UnquoteCjkPhrases(folder_.Fold(text));
        try {
          if (HasCjk(folded) && CjkQueryBuilder::Handles(folded))
            return CjkQueryBuilder::Build(qp, kFlags, folded, prefix);
          return qp.parse_query(folded, kFlags, prefix);
        } catch (const Xapian::QueryParserError&) {
          // Unbalanced quotes or brackets: read it as plain words.
          return qp.parse_query(folded, Xapian::QueryParser::FLAG_CJK_NGRAM, prefix);
        }
      };

      std::vector<Xapian::Query> must;
      if (!q.q.empty()) {
        auto text = parse(q.q, "");
        if (IsbnLike(q.q)) text = Xapian::Query(Xapian::Query::OP_OR, text, IsbnQuery(q.q));
        must.push_back(text);
      }
      if (!q.title.empty()) must.push_back(parse(q.title, "S"));
      if (!q.author.empty()) must.push_back(parse(q.author, "A"));
      if (!q.isbn.empty()) must.push_back(IsbnQuery(q.isbn));
      if (!q.class_no.empty()) must.push_back(Xapian::Query(Term("XC", NormalizeClassNumber(q.class_no))));
      Xapian::Query query =
          must.empty() ? Xapian::Query::MatchAll : Xapian::Query(Xapian::Query::OP_AND, must.begin(), must.end());

      std::vector<Xapian::Query> filters;
      if (!q.branch.empty()) filters.emplace_back(Term("XB", q.branch));
      if (!q.language.empty()) filters.emplace_back("L" + q.language);
      if (q.year_from || q.year_to)
        filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kYearSlot, fmt::format("{:04}", q.year_from.value_or(0)),
                             fmt::format("{:04}", q.year_to.value_or(9999)));
      if (!filters.empty())
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));

      // An exact title goes first: its XE term outweighs any mix of words.
      if (q.sort == CatalogSort::kRelevance) {
        std::vector<Xapian::Query> exact;
        for (const auto* t : {&q.q, &q.title})
          if (auto key = ExactKey(folder_, *t); !key.empty()) exact.emplace_back(Term("XE", key));
        if (!exact.empty())
          query = Xapian::Query(
              Xapian::Query::OP_AND_MAYBE, query,
              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                            Xapian::Query(Xapian::Query::OP_OR, exact.begin(), exact.end()), kExactTitleBoost));
      }

      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      YearKey newest(true), oldest(false);
      if (q.sort == CatalogSort::kYearNewest) enquire.set_sort_by_key_then_relevance(&newest, false);
      if (q.sort == CatalogSort::kYearOldest) enquire.set_sort_by_key_then_relevance(&oldest, false);
      auto codes = q.facets ? FacetCodes::Load(db) : FacetCodes();
      FacetSpy spy(codes.size());
      if (q.facets) enquire.add_matchspy(&spy);
      const auto sample = static_cast<Xapian::doccount>(options_.facet_sample);
      SampleEdgeSpy edge(sample);
      enquire.add_matchspy(&edge);
      auto mset = enquire.get_mset(static_cast<Xapian::doccount>(q.offset), static_cast<Xapian::doccount>(q.limit),
                                   static_cast<Xapian::doccount>(options_.facet_sample));

      CatalogHits hits;
      hits.total = static_cast<std::int64_t>(mset.get_matches_estimated());
      hits.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      if (!hits.total_exact && edge.edge > 0) {
        const double scaled = static_cast<double>(sample) * db.get_lastdocid() / edge.edge;
        hits.total = std::clamp(std::llround(scaled), static_cast<long long>(mset.get_matches_lower_bound()),
                                static_cast<long long>(mset.get_matches_upper_bound()));
      }
      for (auto it = mset.begin(); it != mset.end(); ++it) hits.ids.emplace_back(static_cast<std::int64_t>(*it));
      if (q.facets) {
        hits.facets_exact = hits.total_exact && spy.seen == hits.total;
        hits.facets.emplace_back("branch", Top(spy.Branches(codes), 200));
        hits.facets.emplace_back("year", Top(spy.Years(), 30));
        hits.facets.emplace_back("language", Top(spy.Languages(codes), 30));
      }
      ReleaseReader(std::move(reader));
      return hits;
    } catch (const Xapian::DatabaseModifiedError&) {
      // The writer committed twice while we read: reopen and try again.
      if (attempt >= 3) throw StoreUnavailable("search index: changing too fast to read");
      try {
        reader->db.reopen();
        ReleaseReader(std::move(reader));
      } catch (const Xapian::Error&) {
      }
    } catch (const Xapian::Error& e) {
      throw StoreUnavailable("search index: " + e.get_description());
    }
  }
}

}  // namespace bookstamp::search
