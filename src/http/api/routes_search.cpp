// Catalog search (API.md GET /search, PRODUCT.md P5) and the generated cover of a record without one.
#include <fmt/format.h>

#include "app/search.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

int IntQuery(const Request& req, std::string_view name, int fallback, std::string_view field) {
  auto s = req.Query(name);
  if (s.empty()) return fallback;
  if (s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) ThrowInvalid(field, "not_integer");
  return std::stoi(s);
}

// "2001" or "1990-1999" (either end may be left open: "-1999", "1990-").
std::pair<std::optional<int>, std::optional<int>> YearRange(const std::string& s) {
  if (s.empty()) return {};
  auto year = [&](std::string_view part) -> std::optional<int> {
    if (part.empty()) return std::nullopt;
    if (part.size() > 4 || part.find_first_not_of("0123456789") != std::string_view::npos)
      ThrowInvalid("year", "bad_format");
    return std::stoi(std::string(part));
  };
  auto dash = s.find('-');
  if (dash == std::string::npos) {
    auto y = year(s);
    return {y, y};
  }
  return {year(std::string_view(s).substr(0, dash)), year(std::string_view(s).substr(dash + 1))};
}

std::string_view SortName(CatalogSort s) {
  switch (s) {
    case CatalogSort::kYearNewest:
      return "year";
    case CatalogSort::kYearOldest:
      return "year_asc";
    default:
      return "relevance";
  }
}

json::value OrNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::object HitJson(const SearchHit& h) {
  json::array by_branch;
  for (const auto& b : h.holdings.by_branch)
    by_branch.push_back(json::object{{"branch", b.branch}, {"total", b.total}, {"available", b.available}});
  json::object out{
      {"bib_id", h.id.value()},
      {"title", h.title},
      {"author", h.author},
      {"publisher", h.publisher},
      {"year", h.year ? json::value(*h.year) : json::value(nullptr)},
      {"isbn", h.isbn},
      {"class_no", h.class_no},
      {"cover_url", h.cover_url},
      {"language", OrNull(h.language)},
      {"holdings",
       json::object{{"total", h.holdings.total}, {"available", h.holdings.available}, {"by_branch", by_branch}}}};
  if (!h.title_vernacular.empty() || !h.author_vernacular.empty() || !h.publisher_vernacular.empty())
    out["vernacular"] = json::object{{"title", OrNull(h.title_vernacular)},
                                     {"author", OrNull(h.author_vernacular)},
                                     {"publisher", OrNull(h.publisher_vernacular)}};
  return out;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Splits `text` into lines of about `width` columns (a CJK character counts two), at most `max` lines.
std::vector<std::string> WrapLines(std::string_view text, int width, std::size_t max) {
  std::vector<std::string> lines;
  std::string line, word;
  int cols = 0, word_cols = 0;
  auto flush_word = [&] {
    if (word.empty()) return;
    if (cols + word_cols > width && !line.empty()) {
      lines.push_back(line);
      line.clear();
      cols = 0;
    }
    line += word;
    cols += word_cols;
    word.clear();
    word_cols = 0;
  };
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    auto ch = text.substr(i, len);
    i += len;
    if (ch == " ") {
      flush_word();
      if (!line.empty()) {
        line += ' ';
        ++cols;
      }
    } else if (len >= 3) {  // CJK and the like: a line may break between any two characters
      flush_word();
      word = std::string(ch);
      word_cols = 2;
      flush_word();
    } else {
      word += ch;
      ++word_cols;
    }
  }
  flush_word();
  if (!line.empty()) lines.push_back(line);
  if (lines.size() > max) {
    lines.resize(max);
    lines.back() += "…";
  }
  return lines;
}

// A book-shaped SVG: a colour from the title, the title and author in type.
std::string PlaceholderCover(const std::string& title, const std::string& author) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : title) h = (h ^ c) * 16777619u;
  int hue = static_cast<int>(h % 360);
  std::string svg = fmt::format(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300" viewBox="0 0 200 300" role="img" aria-label="{}">)svg"
      R"svg(<rect width="200" height="300" fill="hsl({},45%,38%)"/><rect x="12" width="6" height="300" fill="hsl({},45%,28%)"/>)svg"
      R"svg(<g fill="#fff" font-family="'Noto Sans CJK TC','WenQuanYi Micro Hei',sans-serif">)svg",
      XmlEscape(title), hue, hue);
  int y = 70;
  for (const auto& l : WrapLines(title, 14, 6)) {
    svg += fmt::format(R"svg(<text x="30" y="{}" font-size="18" font-weight="bold">{}</text>)svg", y, XmlEscape(l));
    y += 26;
  }
  y = 250;
  for (const auto& l : WrapLines(author, 18, 2)) {
    svg += fmt::format(R"svg(<text x="30" y="{}" font-size="13" opacity="0.85">{}</text>)svg", y, XmlEscape(l));
    y += 18;
  }
  svg += "</g></svg>";
  return svg;
}

}  // namespace

void AddSearchRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/search", [&d](Request& req) -> awaitable<Response> {
    if (!d.catalog_index) throw HttpError{ErrorCode::kUnavailable};
    SearchRequest s;
    auto& q = s.query;
    q.q = req.Query("q");
    q.title = req.Query("title");
    q.author = req.Query("author");
    q.isbn = req.Query("isbn");
    q.class_no = req.Query("class");
    q.branch = req.Query("branch");
    q.language = req.Query("lang");
    std::tie(q.year_from, q.year_to) = YearRange(req.Query("year"));
    auto sort = req.Query("sort");
    if (sort.empty() || sort == "relevance")
      q.sort = CatalogSort::kRelevance;
    else if (sort == "year")
      q.sort = CatalogSort::kYearNewest;
    else if (sort == "year_asc")
      q.sort = CatalogSort::kYearOldest;
    else
      ThrowInvalid("sort", "bad_format");
    auto facets = req.Query("facets");
    if (!facets.empty() && facets != "true" && facets != "false") ThrowInvalid("facets", "not_boolean");
    q.facets = facets != "false";
    s.page = IntQuery(req, "page", 1, "page");
    s.per_page = IntQuery(req, "per_page", 20, "per_page");
    auto env = EnvOf(d);
    // The index is read on the store's read thread too, off the I/O threads.
    auto page = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return SearchCatalog(tx, env, *d.catalog_index, s); }));
    json::array hits;
    for (const auto& h : page.hits) hits.push_back(HitJson(h));
    json::object facet_json;
    for (const auto& [name, values] : page.facets) {
      json::array arr;
      for (const auto& v : values) arr.push_back(json::object{{"value", v.value}, {"count", v.count}});
      facet_json[name] = std::move(arr);
    }
    json::object out{{"total", page.total},       {"total_exact", page.total_exact}, {"page", page.page},
                     {"per_page", page.per_page}, {"sort", SortName(page.sort)},     {"hits", std::move(hits)}};
    if (q.facets) {
      out["facets"] = std::move(facet_json);
      out["facets_exact"] = page.facets_exact;
    }
    co_return JsonResponse(200, out);
  });

  r.Add("GET", "/api/v1/bibs/{id}/cover", [&d](Request& req) -> awaitable<Response> {
    BibId id(IdParam(req, "id"));
    auto text = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return CoverTextOf(tx, id); }));
    Response res;
    res.content_type = "image/svg+xml; charset=utf-8";
    res.body = PlaceholderCover(text.title, text.author);
    res.headers.emplace_back("Cache-Control", "public, max-age=86400");
    co_return res;
  });
}

}  // namespace bookstamp::http
