// A card's life: status and replacement at the desk; PIN, reading history and its setting for the patron.
#include "app/authz.hpp"
#include "app/cards.hpp"
#include "app/ledger.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {

void AddCardRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("POST", "/api/v1/desk/cards/{card}/status", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    CardNumber card(req.params.at("card"));
    auto body = ParseJsonObject(req);
    auto status = CardStatusFromString(RequireString(body, "status"));
    if (!status) ThrowInvalid("status", "bad_format");
    auto reason = RequireString(body, "reason");
    auto env = EnvOf(d);
    auto c = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return SetCardStatus(tx, env, actor, card, *status, reason); }));
    co_return JsonResponse(200, json::object{{"card", c.number.value()}, {"status", ToString(c.status)}});
  });

  r.Add("POST", "/api/v1/desk/cards/{card}/replace", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kCirculation));
    CardNumber card(req.params.at("card"));
    auto body = ParseJsonObject(req);
    CardNumber new_card(RequireString(body, "new_card"));
    auto pin = RequireString(body, "pin");
    if (pin.size() < 4 || pin.size() > 128) ThrowInvalid("pin", "out_of_range");
    auto hash = co_await HashSecretOffThread(d, pin);
    auto env = EnvOf(d);
    auto rep = OrThrow(
        co_await Write(d.store, [&](SqlTx& tx) { return ReplaceCard(tx, env, actor, card, new_card, hash); }));
    co_return JsonResponse(201, json::object{{"old_card", rep.old_card.value()},
                                             {"new_card", rep.new_card.value()},
                                             {"points_moved", rep.points_moved}});
  });

  r.Add("PUT", "/api/v1/cards/{card}/pin", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    auto current = RequireString(body, "current_pin");
    auto next = RequireString(body, "new_pin");
    if (next.size() < 4 || next.size() > 128) ThrowInvalid("new_pin", "out_of_range");
    auto env = EnvOf(d);
    auto key = "card:" + card.value();
    auto cred = OrThrow(co_await Read(d.store, [&](SqlTx& tx) -> Result<Credential> {
      if (auto ok = CheckLoginRate(tx, env, key, req.remote_ip); !ok) return Fail(ok.error());
      return *LoadCardCredential(tx, card);
    }));
    if (!co_await VerifySecretOffThread(d, cred.hash, current)) {
      co_await Write(d.store, [&](SqlTx& tx) { RecordLoginFailure(tx, env, key, req.remote_ip); });
      ThrowInvalid("current_pin", "wrong_pin");
    }
    auto hash = co_await HashSecretOffThread(d, next);
    co_await Write(d.store, [&](SqlTx& tx) { ChangePin(tx, env, card, hash); });
    co_return NoContent();
  });

  r.Add("GET", "/api/v1/cards/{card}/history", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    std::optional<std::int64_t> before;
    if (auto s = req.Query("before"); !s.empty()) before = IdParam(Request{.params = {{"before", s}}}, "before");
    auto [keep, entries] = co_await Read(d.store, [&](SqlTx& tx) {
      return std::make_pair(KeepsHistory(tx, card), LoanHistory(tx, card, 100, before));
    });
    json::array arr;
    for (const auto& e : entries)
      arr.push_back(json::object{{"loan_id", e.loan.value()},
                                 {"bib_id", e.bib ? json::value(e.bib->value()) : json::value(nullptr)},
                                 {"title", e.title ? json::value(*e.title) : json::value(nullptr)},
                                 {"author", e.author ? json::value(*e.author) : json::value(nullptr)},
                                 {"branch", e.branch.value()},
                                 {"checked_out_at", d.tz.Rfc3339(e.checked_out_at)},
                                 {"returned_at", e.returned_at ? json::value(d.tz.Rfc3339(*e.returned_at)) : json::value(nullptr)}});
    co_return JsonResponse(200, json::object{{"keep_history", keep}, {"loans", arr}});
  });

  r.Add("PUT", "/api/v1/cards/{card}/history-setting", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    auto keep = RequireBool(body, "keep_history");
    auto env = EnvOf(d);
    co_await Write(d.store, [&](SqlTx& tx) { SetKeepHistory(tx, env, card, keep); });
    co_return JsonResponse(200, json::object{{"keep_history", keep}});
  });

  r.Add("DELETE", "/api/v1/cards/{card}/history", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto n = co_await Write(d.store, [&](SqlTx& tx) { return std::make_pair(TxOutcome::kCommit, EraseHistory(tx, env, card)); });
    co_return JsonResponse(200, json::object{{"erased", n}});
  });
}

}  // namespace bookstamp::http
