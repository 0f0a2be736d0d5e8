// Lotteries (抽獎, PRODUCT.md A4): define, freeze, draw, check, publish; public proofs; a patron's tokens.
#include "app/authz.hpp"
#include "app/lottery.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

json::object LotteryJson(const LotteryView& v) {
  json::array types;
  for (auto t : v.card_types) types.push_back(json::value(ToString(t)));
  json::array prizes;
  for (const auto& p : v.prizes) prizes.push_back(json::object{{"name", p.name}, {"quantity", p.quantity}});
  json::array results;
  for (const auto& r : v.results) {
    json::object o{{"rank", r.rank}, {"token", r.token}, {"status", r.status}};
    o["prize"] = r.prize_position ? json::value(v.prizes.at(*r.prize_position).name) : json::value(nullptr);
    o["reason"] = r.reason ? json::value(*r.reason) : json::value(nullptr);
    results.push_back(o);
  }
  auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
  return {{"id", v.id},
          {"title", v.title},
          {"period_from", FormatDate(v.period_from)},
          {"period_to", FormatDate(v.period_to)},
          {"min_loans", v.min_loans},
          {"card_types", types},
          {"prizes", prizes},
          {"public_value_name", v.public_value_name},
          {"status", v.status},
          {"entries", v.entries},
          {"list_sha256", opt(v.list_hash)},
          {"secret_sha256", opt(v.secret_hash)},
          {"public_value", opt(v.public_value)},
          {"secret", opt(v.secret)},
          {"seed", opt(v.seed)},
          {"results", results}};
}

// Staff who manage draws see results before publication; everyone else once published.
awaitable<bool> IsLotteryStaff(ApiDeps& d, const Request& req) {
  if (BearerToken(req).empty()) co_return false;
  auto env = EnvOf(d);
  auto token = BearerToken(req);
  auto actor = co_await Read(d.store, [&](SqlTx& tx) { return Authenticate(tx, env, token); });
  co_return actor && Authorize(*actor, Permission::kManageEvents).has_value();
}

Date DateField(const json::object& body, std::string_view field) {
  auto d = ParseDate(RequireString(body, field));
  if (!d) ThrowInvalid(field, "bad_format");
  return *d;
}

}  // namespace

void AddLotteryRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/lotteries", [&d](Request& req) -> awaitable<Response> {
    bool staff = co_await IsLotteryStaff(d, req);
    auto list = co_await Read(d.store, [&](SqlTx& tx) { return ListLotteries(tx, staff); });
    json::array arr;
    for (const auto& v : list) arr.push_back(LotteryJson(v));
    co_return JsonResponse(200, json::object{{"lotteries", arr}});
  });

  r.Add("GET", "/api/v1/lotteries/{id}", [&d](Request& req) -> awaitable<Response> {
    auto id = IdParam(req, "id");
    bool staff = co_await IsLotteryStaff(d, req);
    auto v = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return GetLottery(tx, id, staff); }));
    co_return JsonResponse(200, json::object{{"lottery", LotteryJson(v)}});
  });

  // The frozen list exactly as hashed: tokens, bytewise sorted, LF after each.
  r.Add("GET", "/api/v1/lotteries/{id}/list", [&d](Request& req) -> awaitable<Response> {
    auto id = IdParam(req, "id");
    auto text = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return LotteryList(tx, id); }));
    Response res;
    res.content_type = "text/plain; charset=utf-8";
    res.body = std::move(text);
    co_return res;
  });

  r.Add("POST", "/api/v1/lotteries", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    LotteryInput in;
    in.title = RequireString(body, "title");
    in.period_from = DateField(body, "period_from");
    in.period_to = DateField(body, "period_to");
    in.min_loans = RequireInt(body, "min_loans");
    in.public_value_name = OptionalString(body, "public_value_name").value_or("");
    auto types = body.find("card_types");
    if (types == body.end() || !types->value().is_array()) ThrowInvalid("card_types", "not_array");
    for (const auto& t : types->value().get_array()) {
      auto type = t.is_string() ? CardTypeFromString(std::string(t.get_string())) : std::nullopt;
      if (!type) ThrowInvalid("card_types", "bad_format");
      in.card_types.push_back(*type);
    }
    auto prizes = body.find("prizes");
    if (prizes == body.end() || !prizes->value().is_array()) ThrowInvalid("prizes", "not_array");
    for (const auto& p : prizes->value().get_array()) {
      if (!p.is_object()) ThrowInvalid("prizes", "not_object");
      in.prizes.push_back({RequireString(p.get_object(), "name"), RequireInt(p.get_object(), "quantity")});
    }
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateLottery(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"lottery", LotteryJson(v)}});
  });

  auto step = [&d](std::string which) {
    return [&d, which](Request& req) -> awaitable<Response> {
      auto actor = co_await StaffOnly(d, req);
      auto id = IdParam(req, "id");
      std::string a, b;
      if (which == "draw") a = OptionalString(ParseJsonObject(req), "public_value").value_or("");
      if (which == "disqualify") {
        auto body = ParseJsonObject(req);
        a = RequireString(body, "token");
        b = RequireString(body, "reason");
      }
      auto env = EnvOf(d);
      auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) -> Result<LotteryView> {
        if (which == "freeze") return FreezeLottery(tx, env, actor, id);
        if (which == "draw") return DrawLottery(tx, env, actor, id, a);
        if (which == "disqualify") return DisqualifyWinner(tx, env, actor, id, a, b);
        return PublishLottery(tx, env, actor, id);
      }));
      co_return JsonResponse(200, json::object{{"lottery", LotteryJson(v)}});
    };
  };
  r.Add("POST", "/api/v1/lotteries/{id}/freeze", step("freeze"));
  r.Add("POST", "/api/v1/lotteries/{id}/draw", step("draw"));
  r.Add("POST", "/api/v1/lotteries/{id}/disqualify", step("disqualify"));
  r.Add("POST", "/api/v1/lotteries/{id}/publish", step("publish"));

  r.Add("GET", "/api/v1/cards/{card}/lottery-entries", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto entries = co_await Read(d.store, [&](SqlTx& tx) { return CardLotteryEntries(tx, card); });
    json::array arr;
    for (const auto& e : entries)
      arr.push_back(json::object{{"lottery_id", e.lottery_id},
                                 {"title", e.title},
                                 {"token", e.token},
                                 {"status", e.status},
                                 {"prize", e.prize ? json::value(*e.prize) : json::value(nullptr)}});
    co_return JsonResponse(200, json::object{{"entries", arr}});
  });
}

}  // namespace bookstamp::http
