// Xapian terms, values and queries for the catalog. The scheme (docs/catalog.md "Index"):
//   free text (no prefix) and per field: S title, A author, XP publisher, XS subject, XR series —
//     all folded (text_fold.hpp), CJK as 1- and 2-character n-grams (FLAG_CJK_NGRAM), English
//     stemming (STEM_SOME: Z-prefixed stems beside the words; Xapian never stems CJK n-grams);
//   boolean: XI ISBN (as written and as ISBN-13), XC every prefix of the class number,
//     XB branch, L language, XE the exact title (folded, letters and digits only);
//   values: 0 year "YYYY", 1 language, 2 branches separated by 0x1F.
#include "search/xapian_catalog_index.hpp"

#include <fmt/format.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include "app/isbn.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp::search {
namespace {

constexpr Xapian::valueno kYearSlot = 0;
constexpr Xapian::valueno kLanguageSlot = 1;
constexpr Xapian::valueno kBranchesSlot = 2;
constexpr char kSeqKey[] = "journal_seq";
constexpr char kBranchSep = '\x1F';
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

// Counts facet values over the matches Xapian examines. Called once per examined match, so it
// allocates nothing per call: few distinct values, found by a linear scan.
class FacetSpy final : public Xapian::MatchSpy {
 public:
  using Counts = std::vector<std::pair<std::string, std::int64_t>>;
  void operator()(const Xapian::Document& doc, double) override {
    ++seen;
    value_ = doc.get_value(kYearSlot);
    if (!value_.empty()) Count(years, value_);
    value_ = doc.get_value(kLanguageSlot);
    if (!value_.empty()) Count(languages, value_);
    value_ = doc.get_value(kBranchesSlot);
    std::string_view rest(value_);
    while (!rest.empty()) {
      auto sep = rest.find(kBranchSep);
      if (sep != 0) Count(branches, rest.substr(0, sep));
      if (sep == std::string_view::npos) break;
      rest.remove_prefix(sep + 1);
    }
  }
  Counts years, languages, branches;
  std::int64_t seen = 0;

 private:
  static void Count(Counts& counts, std::string_view v) {
    for (auto& [value, n] : counts)
      if (value == v) {
        ++n;
        return;
      }
    counts.emplace_back(std::string(v), 1);
  }
  std::string value_;
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
};

class XapianCatalogIndex::Builder final : public CatalogIndexBuilder {
 public:
  Builder(XapianCatalogIndex& owner, std::string generation)
      : owner_(owner),
        generation_(std::move(generation)),
        db_((owner.dir_ / generation_).string(), Xapian::DB_CREATE_OR_OVERWRITE) {}
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
    db_.replace_document(static_cast<Xapian::docid>(bib.id.value()), owner_.MakeDocument(bib));
  }
  void Finish(std::int64_t seq) override {
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
  bool finished_ = false;
};

XapianCatalogIndex::XapianCatalogIndex(std::filesystem::path dir, XapianIndexOptions options)
    : dir_(std::move(dir)), options_(std::move(options)), folder_(options_.opencc_dir) {
  std::filesystem::create_directories(dir_);
  if (!std::filesystem::exists(dir_ / "CURRENT")) {
    // A first, empty generation.
    const std::string first = "gen-000001";
    try {
      Xapian::WritableDatabase db((dir_ / first).string(), Xapian::DB_CREATE_OR_OPEN);
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
    for (const auto& b : upserts) db.replace_document(static_cast<Xapian::docid>(b.id.value()), MakeDocument(b));
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
    return std::make_unique<Reader>(Reader{gen, Xapian::Database((dir_ / gen).string())});
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
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  tg.set_document(doc);
  // Each field into its prefix and into the free text; titles count most, authors next.
  // CJK runs are indexed without a stemmer: Xapian 1.4 would otherwise add a Z-prefixed copy of
  // every n-gram (the English stemmer leaves them as they are, so the copies only cost space).
  // Positions (for phrase searches) are kept for the free text only; a field search matches words.
  auto index_runs = [&](const std::string& folded, Xapian::termcount weight, const std::string& prefix) {
    for (const auto& [run, cjk] : SplitCjkRuns(folded)) {
      tg.set_stemming_strategy(cjk ? Xapian::TermGenerator::STEM_NONE : Xapian::TermGenerator::STEM_SOME);
      if (prefix.empty())
        tg.index_text(run, weight);
      else
        tg.index_text_without_positions(run, weight, prefix);
    }
    if (prefix.empty()) tg.increase_termpos();
  };
  auto field = [&](const std::string& text, const char* prefix, Xapian::termcount weight) {
    if (text.empty()) return;
    auto folded = folder_.Fold(text);
    index_runs(folded, weight, prefix);
    index_runs(folded, weight, "");
  };
  field(b.title, "S", 3);
  field(b.title_vernacular, "S", 3);
  field(b.author, "A", 2);
  field(b.author_vernacular, "A", 2);
  field(b.publisher, "XP", 1);
  field(b.publisher_vernacular, "XP", 1);
  for (const auto& s : b.subjects) field(s, "XS", 1);
  for (const auto& s : b.series) field(s, "XR", 1);
  if (!b.class_no.empty()) {
    tg.index_text(b.class_no);
    tg.increase_termpos();
  }

  // wdf 1, not a boolean term: the exact-title boost needs the term to carry weight.
  for (const auto& t : {b.title, b.title_vernacular})
    if (auto key = ExactKey(folder_, t); !key.empty()) doc.add_term(Term("XE", key), 1);
  for (const auto& i : b.isbns)
    for (const auto& form : isbn::SearchForms(i)) {
      doc.add_boolean_term(Term("XI", form));
      tg.index_text(form);  // so a bare ISBN in the search box finds it as a word too
    }
  auto cls = NormalizeClassNumber(b.class_no);
  for (std::size_t n = 1; n <= std::min<std::size_t>(cls.size(), 40); ++n) {
    // Only whole characters, and not ending in a '.', which queries never do.
    if (n < cls.size() && (static_cast<unsigned char>(cls[n]) & 0xC0) == 0x80) continue;
    if (cls[n - 1] == '.') continue;
    doc.add_boolean_term(Term("XC", cls.substr(0, n)));
  }
  if (b.year) {
    doc.add_value(kYearSlot, fmt::format("{:04}", *b.year));
    doc.add_boolean_term(fmt::format("Y{:04}", *b.year));
  }
  if (!b.language.empty()) {
    doc.add_value(kLanguageSlot, b.language);
    doc.add_boolean_term("L" + b.language);
  }
  std::string branches;
  for (const auto& br : b.branches) {
    doc.add_boolean_term(Term("XB", br));
    if (!branches.empty()) branches.push_back(kBranchSep);
    branches += br;
  }
  if (!branches.empty()) doc.add_value(kBranchesSlot, branches);
  doc.set_data(std::to_string(b.id.value()));
  return doc;
}

CatalogHits XapianCatalogIndex::Search(const CatalogQuery& q) {
  for (int attempt = 0;; ++attempt) {
    auto reader = AcquireReader();
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
      const unsigned kFlags =
          Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM | Xapian::QueryParser::FLAG_WILDCARD;
      auto parse = [&](const std::string& text, const std::string& prefix) {
        auto folded = folder_.Fold(text);
        try {
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
      FacetSpy spy;
      if (q.facets) enquire.add_matchspy(&spy);
      auto mset = enquire.get_mset(static_cast<Xapian::doccount>(q.offset), static_cast<Xapian::doccount>(q.limit),
                                   static_cast<Xapian::doccount>(options_.facet_sample));

      CatalogHits hits;
      hits.total = static_cast<std::int64_t>(mset.get_matches_estimated());
      hits.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      for (auto it = mset.begin(); it != mset.end(); ++it) hits.ids.emplace_back(static_cast<std::int64_t>(*it));
      if (q.facets) {
        hits.facets_exact = hits.total_exact && spy.seen == hits.total;
        hits.facets.emplace_back("branch", Top(std::move(spy.branches), 200));
        hits.facets.emplace_back("year", Top(std::move(spy.years), 30));
        hits.facets.emplace_back("language", Top(std::move(spy.languages), 30));
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
