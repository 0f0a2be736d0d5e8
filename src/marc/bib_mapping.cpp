// MARC 21 -> CatalogRecord.
#include "marc/bib_mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "app/isbn.hpp"

namespace bookstamp::marc {
namespace {

constexpr std::size_t kMaxTitleBytes = 2000;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 character.
std::string Truncate(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (s.empty()) return;
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// The field an 880 stands for: "245" from $6 "245-01/$1"; "" when not linked.
std::string LinkedTag(const Field& f) {
  auto six = f.Sub('6');
  if (six.size() < 3) return {};
  return std::string(six.substr(0, 3));
}

std::vector<const Field*> Vernacular(const Record& r, std::string_view tag) {
  std::vector<const Field*> out;
  for (const auto* f : r.All("880"))
    if (LinkedTag(*f) == tag) out.push_back(f);
  return out;
}

std::string TitleOf(const Field& f) { return TrimPunctuation(f.Join("abfgknps")); }

// `tag`: the field's own tag, or for an 880 the tag it stands for.
std::string AuthorOf(const Field& f, std::string_view tag) {
  if (tag == "100" || tag == "700") return TrimPunctuation(f.Join("abcqd"));
  if (tag == "110" || tag == "710") return TrimPunctuation(f.Join("abcdn"));
  return TrimPunctuation(f.Join("acdnq"));  // 111, 711
}

const Field* FirstAuthor(const Record& r, const std::vector<std::string_view>& tags) {
  for (auto t : tags)
    if (const auto* f = r.First(t)) return f;
  return nullptr;
}

// The publisher field: 264 with second indicator 1 (publication), else 260, else any 264.
const Field* PublisherField(const std::vector<const Field*>& f264, const std::vector<const Field*>& f260) {
  for (const auto* f : f264)
    if (f->ind2 == '1' && !f->Sub('b').empty()) return f;
  for (const auto* f : f260)
    if (!f->Sub('b').empty()) return f;
  for (const auto* f : f264)
    if (!f->Sub('b').empty()) return f;
  return nullptr;
}

std::vector<const Field*> WithTag(const std::vector<const Field*>& fields, std::string_view tag, bool vernacular) {
  std::vector<const Field*> out;
  for (const auto* f : fields)
    if ((vernacular ? LinkedTag(*f) : f->tag) == tag) out.push_back(f);
  return out;
}

std::optional<int> YearIn(std::string_view s) {
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) continue;
    std::size_t n = 0;
    while (i + n < s.size() && std::isdigit(static_cast<unsigned char>(s[i + n]))) ++n;
    if (n == 4) {
      int y = std::stoi(std::string(s.substr(i, 4)));
      if (y >= 1000 && y <= 2999) return y;
    }
    i += n;
  }
  return std::nullopt;
}

// 008 positions are trusted only when the field has its standard 40 characters (some systems
// collapse its blanks, which shifts every position).
const Field* Fixed008(const Record& r) {
  const auto* f = r.First("008");
  return f && f->data.size() == 40 ? f : nullptr;
}

std::optional<int> Year(const Record& r, const Field* publisher) {
  if (const auto* f = Fixed008(r)) {
    auto y = std::string_view(f->data).substr(7, 4);
    if (std::all_of(y.begin(), y.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      int v = std::stoi(std::string(y));
      if (v >= 1000 && v <= 2999) return v;
    }
  }
  if (publisher)
    for (auto c : publisher->Subs('c'))
      if (auto y = YearIn(c)) return y;
  for (const auto* f : r.All("264"))
    for (auto c : f->Subs('c'))
      if (auto y = YearIn(c)) return y;
  for (const auto* f : r.All("260"))
    for (auto c : f->Subs('c'))
      if (auto y = YearIn(c)) return y;
  return std::nullopt;
}

bool LanguageCode(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string Language(const Record& r) {
  if (const auto* f = Fixed008(r)) {
    auto code = f->data.substr(35, 3);
    if (LanguageCode(code)) return code;
  }
  if (const auto* f = r.First("041")) {
    auto a = Lower(Trim(f->Sub('a')));
    if (a.size() >= 3 && LanguageCode(std::string_view(a).substr(0, 3))) return a.substr(0, 3);
  }
  return {};
}

// Class numbers lose the segmentation marks (' and /) cataloguers put in them: 863/.62 -> 863.62.
std::string ClassNumber(const Record& r) {
  for (auto tag : {"082", "084", "050", "090"}) {
    for (const auto* f : r.All(tag)) {
      std::string out;
      for (char c : Trim(f->Sub('a')))
        if (c != '/' && c != '\'') out.push_back(c);
      out = Trim(out);
      if (!out.empty()) return out;
    }
  }
  return {};
}

std::string SubjectOf(const Field& f) {
  std::string out;
  for (const auto& s : f.subfields) {
    auto v = Trim(s.value);
    if (v.empty()) continue;
    if (std::string_view("vxyz").find(s.code) != std::string_view::npos) {
      if (!out.empty()) out += " -- ";
      out += TrimPunctuation(v);
    } else if (std::string_view("abcdqt").find(s.code) != std::string_view::npos) {
      if (!out.empty()) out += out.ends_with(" -- ") ? "" : " ";
      out += v;
    }
  }
  return TrimPunctuation(out);
}

bool IsSubjectTag(std::string_view t) {
  return t == "600" || t == "610" || t == "611" || t == "630" || t == "648" || t == "650" || t == "651" || t == "653" ||
         t == "655";
}

std::string SeriesOf(const Field& f) {
  auto tag = f.tag == "880" ? LinkedTag(f) : f.tag;
  if (tag == "800" || tag == "810" || tag == "811") return TrimPunctuation(f.Join("t"));
  return TrimPunctuation(f.Join("a"));
}

bool IsSeriesTag(std::string_view t) { return t == "490" || t == "830" || t == "800" || t == "810" || t == "811"; }

std::optional<std::string> Cover(const Record& r) {
  for (const auto* f : r.All("856")) {
    auto note = Lower(f->Join("3yz"));
    auto url = Trim(f->Sub('u'));
    if (note.find("cover") != std::string::npos && (url.starts_with("http://") || url.starts_with("https://")))
      return url;
  }
  return std::nullopt;
}

std::string Fnv1a64Hex(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

bool Lost(std::string_view location) {
  auto l = Upper(Trim(location));
  return l == "LOST" || l == "MISSING" || l == "WITHDRAWN" || l == "DISCARD" || l == "DISCARDED";
}

// Copies: 852 (MARC holdings), 952 (Koha), 949/999 (SirsiDynix: $i barcode, $m library).
std::vector<ItemInput> Items(const Record& r) {
  std::vector<ItemInput> out;
  for (const auto& f : r.fields) {
    ItemInput it;
    if (f.tag == "852") {
      it.branch = Trim(f.Sub('b').empty() ? f.Sub('a') : f.Sub('b'));
      it.barcode = Trim(f.Sub('p'));
      it.call_number = Trim(f.Join("khijm"));
    } else if (f.tag == "952") {
      auto withdrawn = Trim(f.Sub('0')), lost = Trim(f.Sub('1'));
      if ((!withdrawn.empty() && withdrawn != "0") || (!lost.empty() && lost != "0")) continue;
      it.branch = Trim(f.Sub('a').empty() ? f.Sub('b') : f.Sub('a'));
      it.barcode = Trim(f.Sub('p'));
      it.call_number = Trim(f.Sub('o'));
      auto not_for_loan = Trim(f.Sub('7'));
      it.loanable = not_for_loan.empty() || not_for_loan == "0";
      if (auto y = Lower(Trim(f.Sub('y'))); !y.empty()) it.item_type = y;
    } else if (f.tag == "949" || f.tag == "999") {
      if (f.Sub('i').empty() || f.Sub('m').empty()) continue;  // another system's local field
      if (Lost(f.Sub('l')) || Lost(f.Sub('k'))) continue;
      it.branch = Trim(f.Sub('m'));
      it.barcode = Trim(f.Sub('i'));
      it.call_number = Trim(f.Sub('a'));
      if (auto t = Lower(Trim(f.Sub('t'))); !t.empty()) it.item_type = t;
    } else {
      continue;
    }
    out.push_back(std::move(it));
  }
  return out;
}

// Decodes one UTF-8 code point at s[i] (valid UTF-8 assumed) and advances i.
std::uint32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

// Splits a pair (one Latin, one in another script) the way LoC records do: {romanized, original}.
std::pair<std::string, std::string> Romanized(std::string a, std::string b) {
  if (MostlyNonLatin(a) && !MostlyNonLatin(b)) return {std::move(b), std::move(a)};
  return {std::move(a), std::move(b)};
}

}  // namespace

std::string TrimPunctuation(std::string_view text) {
  std::string s = Trim(text);
  for (;;) {
    if (s.empty() || s.ends_with("...")) return s;
    char last = s.back();
    if (last == '/' || last == ':' || last == ';' || last == '=' || last == ',') {
      s.pop_back();
      s = Trim(s);
      continue;
    }
    if (last == '.') {
      // "B." of an initial stays; "Paris." loses its period.
      bool initial = s.size() >= 2 && std::isalpha(static_cast<unsigned char>(s[s.size() - 2])) &&
                     (s.size() == 2 || s[s.size() - 3] == ' ' || s[s.size() - 3] == '.');
      if (initial) return s;
      s.pop_back();
      s = Trim(s);
      continue;
    }
    return s;
  }
}

bool MostlyNonLatin(std::string_view text) {
  int latin = 0, other = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto cp = NextCodePoint(text, i);
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F) ||
        (cp >= 0x1E00 && cp <= 0x1EFF))
      ++latin;
    else if (cp >= 0x370 && !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0xFE00 && cp <= 0xFE0F))
      ++other;
  }
  return other > latin;
}

std::optional<std::string> NotBibliographic(const Record& record) {
  char t = record.Type();
  switch (t) {
    case 'a':
    case 'c':
    case 'd':
    case 'e':
    case 'f':
    case 'g':
    case 'i':
    case 'j':
    case 'k':
    case 'm':
    case 'o':
    case 'p':
    case 'r':
    case 't':
      return std::nullopt;
    case 'z':
      return "authority record (leader/06 'z'), not bibliographic";
    case 'u':
    case 'v':
    case 'x':
    case 'y':
      return fmt::format("holdings record (leader/06 '{}'), not bibliographic", t);
    case 'w':
      return "classification record (leader/06 'w'), not bibliographic";
    case 'q':
      return "community information record (leader/06 'q'), not bibliographic";
    default:
      return fmt::format("unknown record type (leader/06 '{}')", t);
  }
}

std::expected<CatalogRecord, std::string> ToCatalogRecord(const Record& r) {
  CatalogRecord c;
  auto f245 = r.All("245");
  auto v245 = Vernacular(r, "245");
  std::string title = f245.empty() ? std::string() : TitleOf(*f245[0]);
  std::string title_v = v245.empty() ? std::string() : TitleOf(*v245[0]);
  if (title_v.empty() && f245.size() > 1) std::tie(title, title_v) = Romanized(title, TitleOf(*f245[1]));
  if (title.empty()) title = title_v;
  if (title.empty()) return std::unexpected("no title (245 $a)");
  if (title_v == title) title_v.clear();
  c.bib.title = Truncate(std::move(title), kMaxTitleBytes);
  c.title_vernacular = Truncate(std::move(title_v), kMaxTitleBytes);

  static const std::vector<std::string_view> kAuthorTags{"100", "110", "111"};
  const Field* author = FirstAuthor(r, kAuthorTags);
  std::string author_text = author ? AuthorOf(*author, author->tag) : std::string();
  std::string author_v;
  for (auto t : kAuthorTags)
    if (auto v = Vernacular(r, t); !v.empty() && author_v.empty()) author_v = AuthorOf(*v[0], t);
  if (author_v.empty() && author && r.All(author->tag).size() > 1)
    std::tie(author_text, author_v) = Romanized(author_text, AuthorOf(*r.All(author->tag)[1], author->tag));
  if (author_text.empty())
    if (const auto* added = FirstAuthor(r, {"700", "710", "711"})) author_text = AuthorOf(*added, added->tag);
  if (author_v == author_text) author_v.clear();
  c.bib.author = Truncate(std::move(author_text), 1000);
  c.author_vernacular = Truncate(std::move(author_v), 1000);

  auto f264 = r.All("264"), f260 = r.All("260");
  const Field* pub = PublisherField(f264, f260);
  std::string publisher = pub ? TrimPunctuation(pub->Sub('b')) : std::string();
  auto v880 = r.All("880");
  const Field* pub_v = PublisherField(WithTag(v880, "264", true), WithTag(v880, "260", true));
  std::string publisher_v = pub_v ? TrimPunctuation(pub_v->Sub('b')) : std::string();
  if (publisher_v.empty() && pub && r.All(pub->tag).size() > 1) {
    auto second = r.All(pub->tag)[1];
    if (!second->Sub('b').empty())
      std::tie(publisher, publisher_v) = Romanized(publisher, TrimPunctuation(second->Sub('b')));
  }
  if (publisher_v == publisher) publisher_v.clear();
  c.bib.publisher = Truncate(std::move(publisher), 1000);
  c.publisher_vernacular = Truncate(std::move(publisher_v), 1000);

  c.bib.year = Year(r, pub);
  c.language = Language(r);

  for (const auto* f : r.All("020"))
    for (auto a : f->Subs('a')) AddUnique(c.isbns, isbn::Clean(a));
  if (!c.isbns.empty()) c.bib.isbn = c.isbns.front();
  c.bib.class_no = ClassNumber(r);

  for (const auto& f : r.fields) {
    if (IsSubjectTag(f.tag) || (f.tag == "880" && IsSubjectTag(LinkedTag(f)))) AddUnique(c.subjects, SubjectOf(f));
    if (IsSeriesTag(f.tag) || (f.tag == "880" && IsSeriesTag(LinkedTag(f)))) AddUnique(c.series, SeriesOf(f));
  }
  c.cover_url = Cover(r);
  c.bib.items = Items(r);

  const auto* f001 = r.First("001");
  const auto* f003 = r.First("003");
  auto control = f001 ? Trim(f001->data) : std::string();
  auto source = f003 ? Trim(f003->data) : std::string();
  if (!control.empty()) {
    c.record_key = source.empty() ? "ctl:" + control : "(" + source + ")" + control;
  } else if (auto first13 = c.isbns.empty() ? std::nullopt : isbn::To13(c.isbns.front())) {
    c.record_key = "isbn:" + *first13;
  } else {
    c.record_key = "h:" + Fnv1a64Hex(fmt::format("{}\x1f{}\x1f{}\x1f{}", c.bib.title, c.bib.author, c.bib.publisher,
                                                 c.bib.year ? *c.bib.year : 0));
  }
  if (c.record_key.size() > 200) c.record_key = "h:" + Fnv1a64Hex(c.record_key);
  return c;
}

}  // namespace bookstamp::marc
