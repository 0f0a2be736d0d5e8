// Authentication, hashing off the I/O threads, and JSON views of domain values.
#include "http/api/common.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include "app/crypto.hpp"

namespace bookstamp::http {

namespace {
constexpr std::string_view kCookieName = "bookstamp_session";

std::string CookieToken(const Request& req) {
  auto header = req.Header("Cookie");
  std::string_view rest(header);
  while (!rest.empty()) {
    auto semi = rest.find(';');
    auto part = rest.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > kCookieName.size() && part.substr(0, kCookieName.size()) == kCookieName &&
        part[kCookieName.size()] == '=')
      return std::string(part.substr(kCookieName.size() + 1));
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return {};
}
}  // namespace

std::string BearerToken(const Request& req) {
  auto h = req.Header("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() > kPrefix.size() && std::equal(kPrefix.begin(), kPrefix.end(), h.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      }))
    return h.substr(kPrefix.size());
  // The web app's HttpOnly cookie; writes must also carry the CSRF header that only the app can know.
  auto cookie = CookieToken(req);
  if (cookie.empty()) return {};
  if (req.method != "GET" && req.method != "HEAD" &&
      !crypto::ConstantTimeEquals(req.Header("X-CSRF-Token"), CsrfToken(cookie)))
    return {};
  return cookie;
}

std::string CsrfToken(const std::string& session_token) {
  return crypto::Sha256Hex("bookstamp csrf\n" + session_token);
}

std::string SessionCookie(const std::string& token, std::chrono::seconds max_age) {
  return fmt::format("{}={}; Path=/api/; HttpOnly; SameSite=Strict; Max-Age={}", kCookieName, token, max_age.count());
}

awaitable<Actor> Authenticated(ApiDeps& d, const Request& req) {
  auto token = BearerToken(req);
  if (token.empty()) throw HttpError{ErrorCode::kUnauthenticated};
  auto env = EnvOf(d);
  co_return OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return Authenticate(tx, env, token); }));
}

awaitable<Actor> StaffOnly(ApiDeps& d, const Request& req) {
  auto actor = co_await Authenticated(d, req);
  if (!actor.IsStaff()) throw HttpError{ErrorCode::kForbidden};
  co_return actor;
}

awaitable<Actor> PatronWithCard(ApiDeps& d, const Request& req, const CardNumber& card) {
  auto actor = co_await Authenticated(d, req);
  if (actor.kind != Actor::Kind::kPatron) throw HttpError{ErrorCode::kCardNotFound};
  OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return RequireLinkedCard(tx, *actor.account, card); }));
  co_return actor;
}


awaitable<bool> VerifySecretOffThread(ApiDeps& d, std::string hash, std::string secret) {
  co_return co_await OnPool(*d.slow_pool, [&] { return crypto::VerifyPassword(hash, secret); });
}

awaitable<std::string> HashSecretOffThread(ApiDeps& d, std::string secret) {
  co_return co_await OnPool(*d.slow_pool, [&] { return crypto::HashPassword(secret); });
}

std::int64_t IdParam(const Request& req, const std::string& name) {
  const auto& s = req.params.at(name);
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) throw HttpError{ErrorCode::kNotFound};
  for (char c : s) {
    if (c < '0' || c > '9') throw HttpError{ErrorCode::kNotFound};
    v = v * 10 + (c - '0');
  }
  if (v <= 0) throw HttpError{ErrorCode::kNotFound};
  return v;
}

json::value DateJson(std::optional<Date> d) {
  if (!d) return nullptr;
  return json::value(FormatDate(*d));
}

json::value CodeJson(std::optional<ErrorCode> code) {
  if (!code) return nullptr;
  return json::value(ToString(*code));
}

json::object ToJson(const LoanView& l, const TimeZone& tz) {
  json::object o{{"id", l.id.value()},
                 {"card", l.card.value()},
                 {"item_barcode", l.item_barcode.value()},
                 {"bib_id", l.bib.value()},
                 {"title", l.title},
                 {"branch", l.branch.value()},
                 {"channel", ToString(l.channel)},
                 {"checked_out_at", tz.Rfc3339(l.checked_out_at)},
                 {"due_on", FormatDate(l.due_on)},
                 {"overdue_days", l.overdue_days},
                 {"renewals", l.renewals}};
  if (l.returned_at) {
    o["returned_at"] = tz.Rfc3339(*l.returned_at);
  } else {
    o["renewable"] = !l.renew_refusal.has_value();
    o["renew_refusal"] = CodeJson(l.renew_refusal);
  }
  return o;
}

json::object ToJson(const HoldView& h, const TimeZone& tz) {
  json::object o{{"id", h.id.value()},
                 {"card", h.card.value()},
                 {"bib_id", h.bib.value()},
                 {"title", h.title},
                 {"pickup_branch", h.pickup_branch.value()},
                 {"status", ToString(h.status)},
                 {"queue_position", h.queue_position ? json::value(*h.queue_position) : json::value(nullptr)},
                 {"pickup_by", DateJson(h.pickup_by)},
                 {"placed_at", tz.Rfc3339(h.placed_at)}};
  o["item_barcode"] = h.item_barcode ? json::value(h.item_barcode->value()) : json::value(nullptr);
  return o;
}

json::object ToJson(const CardSummary& c) {
  return {{"card", c.card.value()},
          {"type", ToString(c.type)},
          {"holder_name", c.holder_name},
          {"status", ToString(c.status)}};
}

json::object ToJson(const Branch& b) {
  json::array closed;
  for (auto d : b.calendar.closed_weekdays) closed.push_back(d);
  json::array holidays;
  for (auto d : b.calendar.holidays) holidays.push_back(json::value(FormatDate(d)));
  return {{"code", b.code.value()},
          {"name", b.name},
          {"mobile_checkout", b.mobile_checkout},
          {"closed_weekdays", closed},
          {"holidays", holidays}};
}

json::object ToJson(const StaffView& s) {
  return {{"id", s.id.value()},
          {"username", s.username},
          {"role", ToString(s.role)},
          {"branch", s.branch ? json::value(s.branch->value()) : json::value(nullptr)}};
}

json::object ToJson(const BibView& b) {
  auto strings = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.push_back(json::value(s));
    return a;
  };
  json::array items;
  for (const auto& i : b.items)
    items.push_back(json::object{{"id", i.id.value()},
                                 {"barcode", i.barcode.value()},
                                 {"branch", i.branch.value()},
                                 {"loanable", i.loanable},
                                 {"item_type", i.item_type},
                                 {"call_number", i.call_number},
                                 {"status", i.status},
                                 {"due_on", DateJson(i.due_on)}});
  return {{"bib_id", b.id.value()},
          {"title", b.title},
          {"author", b.author},
          {"publisher", b.publisher},
          {"year", b.year ? json::value(*b.year) : json::value(nullptr)},
          {"isbn", b.isbn},
          {"class_no", b.class_no},
          {"items", items},
          {"waiting_holds", b.waiting_holds},
          {"isbns", strings(b.isbns)},
          {"subjects", strings(b.subjects)},
          {"series", strings(b.series)},
          {"language", b.language.empty() ? json::value(nullptr) : json::value(b.language)},
          {"cover_url", b.cover_url},
          {"vernacular", json::object{{"title", b.title_vernacular},
                                      {"author", b.author_vernacular},
                                      {"publisher", b.publisher_vernacular}}}};
}

json::object ToJson(const PolicyView& p) {
  json::object types;
  for (auto t : {CardType::kPersonal, CardType::kFamily, CardType::kGroup}) {
    const auto& c = p.library.For(t);
    types[ToString(t)] = json::object{{"max_loans", c.max_loans},
                                      {"loan_days", c.loan_days},
                                      {"max_renewals", c.max_renewals},
                                      {"max_holds", c.max_holds},
                                      {"earns_points", c.earns_points}};
  }
  json::array no_points;
  for (const auto& t : p.points.no_points_item_types) no_points.push_back(json::value(t));
  return {{"card_types", types},
          {"pickup_days", p.library.pickup_days},
          {"no_show_limit", p.library.no_show_limit},
          {"no_show_window_days", p.library.no_show_window_days},
          {"no_show_suspension_days", p.library.no_show_suspension_days},
          {"points",
           json::object{{"per_loan", json::object{{"counter", p.points.per_loan_counter},
                                                  {"kiosk", p.points.per_loan_kiosk},
                                                  {"mobile", p.points.per_loan_mobile}}},
                        {"daily_cap", p.points.daily_cap},
                        {"monthly_cap", p.points.monthly_cap},
                        {"no_points_item_types", no_points}}},
          {"backfill_second_person", p.backfill_second_person}};
}

}  // namespace bookstamp::http
