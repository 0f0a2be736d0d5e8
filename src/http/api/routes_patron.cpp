// The patron's cards: loans, renewals, holds, status, passbook, phone checkout (API.md "Patron").
#include <fmt/format.h>

#include "app/ledger.hpp"
#include "app/prizes.hpp"
#include "app/reading_report.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

std::string EntryDescription(const PassbookEntry& e, const std::string& lang) {
  bool en = lang == "en";
  if (e.kind == "loan") {
    if (e.title) return en ? fmt::format("Borrowed \u201c{}\u201d", *e.title) : fmt::format("借閱《{}》", *e.title);
    return en ? "Borrowed 1 item" : "借閱 1 冊";
  }
  if (e.kind == "event") return en ? "Event attendance" : "活動點數";
  if (e.kind == "redemption") return en ? "Prize redemption" : "兌換獎品";
  if (e.kind == "registration") return en ? "Event registration" : "活動報名";
  if (e.kind == "refund") return en ? "Refund" : "退還點數";
  if (e.kind == "transfer_out") return en ? "Moved to a replacement card" : "轉出至補發新證";
  if (e.kind == "transfer_in") return en ? "Moved from a replaced card" : "由舊證轉入";
  if (e.kind == "opening") return en ? "Balance from the previous system" : "舊系統點數移轉";
  return e.kind;
}

}  // namespace

json::object CheckoutJson(const CheckoutResult& r, const TimeZone& tz) {
  return {{"loan", ToJson(r.loan, tz)},
          {"points_credited", r.points.credited},
          {"points_reason", CodeJson(r.points.reason)},
          {"balance", r.points.balance},
          {"hold_fulfilled", r.hold_fulfilled ? json::value(r.hold_fulfilled->value()) : json::value(nullptr)}};
}

void AddPatronRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/cards/{card}/loans", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto loans = co_await Read(d.store, [&](SqlTx& tx) { return CardLoans(tx, env, card); });
    json::array arr;
    for (const auto& l : loans) arr.push_back(ToJson(l, d.tz));
    co_return JsonResponse(200, json::object{{"loans", arr}});
  });

  r.Add("POST", "/api/v1/cards/{card}/loans/{id}/renew", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    LoanId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto loan = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return RenewLoan(tx, env, actor, card, id); }));
    co_return JsonResponse(200, json::object{{"loan", ToJson(loan, d.tz)}});
  });

  r.Add("GET", "/api/v1/cards/{card}/holds", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto holds = co_await Read(d.store, [&](SqlTx& tx) { return CardHolds(tx, env, card); });
    json::array arr;
    for (const auto& h : holds) arr.push_back(ToJson(h, d.tz));
    co_return JsonResponse(200, json::object{{"holds", arr}});
  });

  r.Add("POST", "/api/v1/cards/{card}/holds", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    auto bib = RequireInt(body, "bib_id");
    BranchCode pickup(RequireString(body, "pickup_branch"));
    auto env = EnvOf(d);
    auto hold = OrThrow(
        co_await Write(d.store, [&](SqlTx& tx) { return PlaceHold(tx, env, actor, card, BibId(bib), pickup); }));
    co_return JsonResponse(201, json::object{{"hold", ToJson(hold, d.tz)}});
  });

  r.Add("DELETE", "/api/v1/cards/{card}/holds/{id}", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    HoldId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CancelHold(tx, env, actor, card, id); }));
    co_return NoContent();
  });

  r.Add("GET", "/api/v1/cards/{card}/status", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto s = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return CardStatusOf(tx, env, card); }));
    co_return JsonResponse(200, json::object{{"status", ToString(s.status)},
                                             {"suspension_days_left", s.standing.suspension_days_left},
                                             {"borrow_resumes_on", DateJson(s.standing.borrow_resumes_on)},
                                             {"reserve_resumes_on", DateJson(s.standing.reserve_resumes_on)}});
  });

  r.Add("GET", "/api/v1/cards/{card}/passbook", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto [b, pending] = co_await Read(d.store, [&](SqlTx& tx) {
      auto balance = BalanceOf(tx, card);
      // Expired-but-unswept redemptions are already refunds to the reader.
      balance.balance += UnsweptRefunds(tx, env, card);
      return std::make_pair(balance, PendingRedemptions(tx, env, card));
    });
    co_return JsonResponse(200, json::object{{"balance", b.balance},
                                             {"lifetime_earned", b.lifetime_earned},
                                             {"pending_redemptions", pending}});
  });

  r.Add("GET", "/api/v1/cards/{card}/passbook/entries", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto parse = [](const std::string& s, int lo, int hi, std::string_view field) {
      if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos)
        ThrowInvalid(field, "not_integer");
      int v = std::stoi(s);
      if (v < lo || v > hi) ThrowInvalid(field, "out_of_range");
      return v;
    };
    auto year_s = req.Query("year");
    if (year_s.empty()) ThrowInvalid("year", "required");
    int year = parse(year_s, 1900, 9999, "year");
    auto month_s = req.Query("month");
    using namespace std::chrono;
    Date from, to;
    if (month_s.empty()) {
      from = Date(std::chrono::year{year} / January / 1);
      to = Date(std::chrono::year{year} / December / 31);
    } else {
      unsigned m = static_cast<unsigned>(parse(month_s, 1, 12, "month"));
      from = Date(std::chrono::year{year} / month{m} / 1);
      to = Date(std::chrono::year{year} / month{m} / last);
    }
    auto p = co_await Read(d.store, [&](SqlTx& tx) { return PassbookFor(tx, card, from, to); });
    json::array arr;
    for (const auto& e : p.entries)
      arr.push_back(json::object{{"id", e.id},
                                 {"at", d.tz.Rfc3339(e.at)},
                                 {"delta", e.delta},
                                 {"balance_after", e.balance_after},
                                 {"kind", e.kind},
                                 {"description", EntryDescription(e, req.lang)},
                                 {"branch", e.branch ? json::value(e.branch->value()) : json::value(nullptr)}});
    co_return JsonResponse(200, json::object{{"earned", p.earned}, {"spent", p.spent}, {"entries", arr}});
  });

  r.Add("POST", "/api/v1/cards/{card}/mobile-checkout", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    CheckoutRequest in{card, ItemBarcode(RequireString(body, "item_barcode")), BranchCode(RequireString(body, "branch")),
                       Channel::kMobile};
    auto env = EnvOf(d);
    auto result = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CheckOut(tx, env, actor, in); }));
    co_return JsonResponse(201, CheckoutJson(result, d.tz));
  });

  // P12: loans per month and class, points per year; classes only while the card keeps its history.
  r.Add("GET", "/api/v1/cards/{card}/reading-report", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    std::optional<int> year;
    if (auto s = req.Query("year"); !s.empty()) {
      if (s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos) ThrowInvalid("year", "not_integer");
      year = std::stoi(s);
    }
    auto env = EnvOf(d);
    auto rep = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return ReadingReportFor(tx, env, card, year); }));
    json::array months, classes, years;
    for (std::size_t i = 0; i < rep.loans_by_month.size(); ++i)
      months.push_back(json::object{{"month", i + 1}, {"loans", rep.loans_by_month[i]}});
    for (const auto& c : rep.by_class)
      classes.push_back(json::object{{"class", c.code}, {"name", ClassName(c.code, req.lang)}, {"loans", c.loans}});
    for (const auto& y : rep.points_by_year)
      years.push_back(json::object{{"year", y.year}, {"earned", y.earned}, {"spent", y.spent}});
    co_return JsonResponse(
        200, json::object{{"year", rep.year},
                          {"history_kept", rep.history_kept},
                          {"loans_by_month", months},
                          {"loans_by_class", rep.history_kept ? json::value(classes) : json::value(nullptr)},
                          {"erased", rep.erased},
                          {"points_by_year", years},
                          {"totals", json::object{{"loans_year", rep.loans_year},
                                                  {"loans_lifetime", rep.loans_lifetime},
                                                  {"points_earned", rep.points_earned},
                                                  {"points_spent", rep.points_spent}}}});
  });
}

}  // namespace bookstamp::http
