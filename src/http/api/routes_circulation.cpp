// Staff circulation and desk look-ups (API.md "Staff": checkout, checkin, renew; hold lists).
#include "app/authz.hpp"
#include "app/ledger.hpp"
#include "app/repo.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

Channel ChannelField(const json::object& body) {
  auto c = OptionalString(body, "channel");
  if (!c) return Channel::kCounter;
  auto v = ChannelFromString(*c);
  // Staff check out at the counter; kiosks speak SIP2 and phones use mobile-checkout.
  if (!v || *v != Channel::kCounter) ThrowInvalid("channel", "bad_format");
  return *v;
}

json::array HoldsJson(const std::vector<HoldView>& holds, const TimeZone& tz) {
  json::array arr;
  for (const auto& h : holds) arr.push_back(ToJson(h, tz));
  return arr;
}

}  // namespace

void AddCirculationRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("POST", "/api/v1/circulation/checkout", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    CheckoutRequest in{CardNumber(RequireString(body, "card")), ItemBarcode(RequireString(body, "item_barcode")),
                       BranchCode(RequireString(body, "branch")), ChannelField(body)};
    auto env = EnvOf(d);
    auto result = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CheckOut(tx, env, actor, in); }));
    co_return JsonResponse(201, CheckoutJson(result, d.tz));
  });

  r.Add("POST", "/api/v1/circulation/checkin", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    ItemBarcode barcode(RequireString(body, "item_barcode"));
    BranchCode branch(RequireString(body, "branch"));
    auto env = EnvOf(d);
    auto res = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CheckIn(tx, env, actor, barcode, branch); }));
    co_return JsonResponse(
        200, json::object{{"loan", res.loan ? json::value(ToJson(*res.loan, d.tz)) : json::value(nullptr)},
                          {"overdue_days", res.overdue_days},
                          {"suspension_days_added", res.suspension_days_added},
                          {"item_status", res.item_status},
                          {"hold", res.hold ? json::value(ToJson(*res.hold, d.tz)) : json::value(nullptr)}});
  });

  r.Add("POST", "/api/v1/circulation/renew", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    ItemBarcode barcode(RequireString(body, "item_barcode"));
    auto env = EnvOf(d);
    auto loan = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return RenewItem(tx, env, actor, barcode); }));
    co_return JsonResponse(200, json::object{{"loan", ToJson(loan, d.tz)}});
  });

  // Hold work lists of a branch: pull list, hold shelf, in transit to it.
  auto branch_list = [&d](std::string which) {
    return [&d, which](Request& req) -> awaitable<Response> {
      auto actor = co_await StaffOnly(d, req);
      BranchCode branch(req.params.at("code"));
      OrThrow(Authorize(actor, Permission::kCirculation, branch));
      auto env = EnvOf(d);
      auto body = OrThrow(co_await Read(d.store, [&](SqlTx& tx) -> Result<json::object> {
        if (!repo::FindBranch(tx, branch)) return Fail(ErrorCode::kBranchNotFound);
        if (which == "pull-list") {
          json::array arr;
          for (const auto& e : PullList(tx, env, branch))
            arr.push_back(json::object{{"hold", ToJson(e.hold, d.tz)},
                                       {"item_barcode", e.item_barcode.value()},
                                       {"call_number", e.call_number}});
          return json::object{{"entries", arr}};
        }
        auto status = which == "hold-shelf" ? HoldStatus::kReady : HoldStatus::kInTransit;
        return json::object{{"holds", HoldsJson(HoldsAtBranch(tx, env, branch, status), d.tz)}};
      }));
      co_return JsonResponse(200, body);
    };
  };
  r.Add("GET", "/api/v1/branches/{code}/pull-list", branch_list("pull-list"));
  r.Add("GET", "/api/v1/branches/{code}/hold-shelf", branch_list("hold-shelf"));
  r.Add("GET", "/api/v1/branches/{code}/in-transit", branch_list("in-transit"));

  // Desk look-up of a card: status, current loans and holds, balance. Never past titles.
  r.Add("GET", "/api/v1/desk/cards/{card}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kCirculation));
    CardNumber card(req.params.at("card"));
    auto env = EnvOf(d);
    auto body = OrThrow(co_await Read(d.store, [&](SqlTx& tx) -> Result<json::object> {
      auto c = repo::FindCard(tx, card);
      if (!c) return Fail(ErrorCode::kCardNotFound);
      auto name = tx.QueryOne("SELECT name FROM patrons WHERE id = ?", {c->patron.value()});
      auto standing = StandingOf(*c, env.Today());
      json::array loans;
      for (const auto& l : CardLoans(tx, env, card)) loans.push_back(ToJson(l, d.tz));
      auto b = BalanceOf(tx, card);
      return json::object{{"card", card.value()},
                          {"type", ToString(c->type)},
                          {"status", ToString(c->status)},
                          {"holder_name", name ? name->Text(0) : ""},
                          {"suspension_days_left", standing.suspension_days_left},
                          {"borrow_resumes_on", DateJson(standing.borrow_resumes_on)},
                          {"reserve_resumes_on", DateJson(standing.reserve_resumes_on)},
                          {"loans", loans},
                          {"holds", HoldsJson(CardHolds(tx, env, card), d.tz)},
                          {"balance", b.balance},
                          {"lifetime_earned", b.lifetime_earned}};
    }));
    co_return JsonResponse(200, body);
  });

  r.Add("GET", "/api/v1/desk/items/{barcode}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kCirculation));
    ItemBarcode barcode(req.params.at("barcode"));
    auto env = EnvOf(d);
    auto body = OrThrow(co_await Read(d.store, [&](SqlTx& tx) -> Result<json::object> {
      auto item = repo::FindItem(tx, barcode);
      if (!item) return Fail(ErrorCode::kItemNotFound);
      auto bib = GetBib(tx, env, item->bib);
      if (!bib) return Fail(bib.error());
      json::object out{{"bib", ToJson(*bib)}};
      for (const auto& i : bib->items)
        if (i.id == item->id) out["item"] = json::object{{"barcode", i.barcode.value()},
                                                         {"branch", i.branch.value()},
                                                         {"status", i.status},
                                                         {"due_on", DateJson(i.due_on)}};
      if (auto loan = repo::FindOpenLoanOfItem(tx, item->id)) out["loan_card"] = loan->card.value();
      return out;
    }));
    co_return JsonResponse(200, body);
  });
}

}  // namespace bookstamp::http
