// Prizes, redemptions, events, attendance claims, registrations and backfills (API.md).
#include <fmt/format.h>

#include "app/authz.hpp"
#include "app/crypto.hpp"
#include "app/events.hpp"
#include "app/prizes.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

json::value InstantJson(const TimeZone& tz, std::optional<Instant> t) {
  if (!t) return nullptr;
  return json::value(tz.Rfc3339(*t));
}

json::object PrizeJson(const PrizeView& p, const TimeZone& tz) {
  return {{"id", p.prize.id.value()},
          {"branch", p.prize.branch.value()},
          {"name", p.prize.name},
          {"description", p.description},
          {"sponsor", p.sponsor},
          {"cost", p.prize.cost},
          {"stock", p.prize.stock_total},
          {"stock_left", p.stock_left},
          {"per_card_limit", p.prize.per_card_limit},
          {"image_url", p.image_url ? json::value(*p.image_url) : json::value(nullptr)},
          {"on_sale_from", InstantJson(tz, p.prize.on_sale_from)},
          {"on_sale_until", InstantJson(tz, p.prize.on_sale_until)}};
}

json::object RedemptionJson(const RedemptionView& v, const TimeZone& tz) {
  const auto& r = v.redemption;
  return {{"id", r.id.value()},
          {"card", r.card.value()},
          {"status", ToString(r.status)},
          {"prize_id", r.prize.value()},
          {"prize_name", v.prize_name},
          {"branch", r.branch.value()},
          {"cost", r.cost},
          {"channel", v.channel},
          {"created_at", tz.Rfc3339(r.created_at)},
          {"expires_at", InstantJson(tz, r.expires_at)},
          {"completed_at", InstantJson(tz, r.completed_at)},
          {"closed_at", InstantJson(tz, v.closed_at)},
          {"cancel_reason", v.cancel_reason ? json::value(*v.cancel_reason) : json::value(nullptr)}};
}

json::object EventJson(const EventView& v, const TimeZone& tz) {
  const auto& e = v.event;
  return {{"id", e.id.value()},
          {"branch", e.branch.value()},
          {"title", e.title},
          {"description", v.description},
          {"starts_at", tz.Rfc3339(e.starts_at)},
          {"ends_at", tz.Rfc3339(e.ends_at)},
          {"attendance_points", e.attendance_points},
          {"capacity", e.capacity},
          {"registration_cost", e.registration_cost},
          {"registration_deadline", InstantJson(tz, e.registration_deadline)},
          {"registrations", v.registrations},
          {"credits", v.credits}};
}

json::object BackfillJson(const BackfillView& b, const TimeZone& tz) {
  return {{"id", b.id.value()},
          {"event_id", b.event.value()},
          {"event_title", b.event_title},
          {"card", b.card.value()},
          {"note", b.note},
          {"status", ToString(b.status)},
          {"filed_by", b.filed_by},
          {"filed_at", tz.Rfc3339(b.filed_at)},
          {"decided_by", b.decided_by ? json::value(*b.decided_by) : json::value(nullptr)},
          {"decided_at", InstantJson(tz, b.decided_at)}};
}

json::object RegistrationJson(const RegistrationView& r, bool with_balance = true) {
  json::object o{{"id", r.id}, {"event_id", r.event.value()}, {"card", r.card.value()}, {"status", r.status},
                 {"cost", r.cost}};
  if (with_balance) o["balance"] = r.balance;  // the card's balance after this change
  return o;
}

Instant RequireInstant(const json::object& body, std::string_view field) {
  auto t = ParseRfc3339(RequireString(body, field));
  if (!t) ThrowInvalid(field, "bad_format");
  return *t;
}

std::optional<Instant> OptionalInstant(const json::object& body, std::string_view field) {
  auto s = OptionalString(body, field);
  if (!s) return std::nullopt;
  auto t = ParseRfc3339(*s);
  if (!t) ThrowInvalid(field, "bad_format");
  return t;
}

// Merge-patch field that may be cleared with null: outer nullopt = absent.
template <class T, class F>
std::optional<std::optional<T>> Nullable(const json::object& body, std::string_view field, F read) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<T>{};
  return std::optional<T>(read(body, field));
}

std::int64_t NonNegative(const json::object& body, std::string_view field) {
  auto v = RequireInt(body, field);
  if (v < 0) ThrowInvalid(field, "out_of_range");
  return v;
}

std::optional<std::int64_t> OptionalNonNegative(const json::object& body, std::string_view field) {
  auto v = OptionalInt(body, field);
  if (v && *v < 0) ThrowInvalid(field, "out_of_range");
  return v;
}

std::optional<std::int64_t> QueryInt(const Request& req, const char* name) {
  auto s = req.Query(name);
  if (s.empty()) return std::nullopt;
  if (s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) ThrowInvalid(name, "not_integer");
  return std::stoll(s);
}

}  // namespace

void AddPassbookRoutes(ApiRouter& r, ApiDeps& d) {
  // ---- public ----
  r.Add("GET", "/api/v1/prizes", [&d](Request& req) -> awaitable<Response> {
    PrizeFilter f;
    auto branches = req.Query("branches");
    std::string cur;
    for (char c : branches + ",") {
      if (c == ',') {
        if (!cur.empty()) f.branches.emplace_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    f.min_points = QueryInt(req, "min_points");
    f.max_points = QueryInt(req, "max_points");
    auto env = EnvOf(d);
    auto scope = req.Query("scope");
    if (!scope.empty() && scope != "on_sale" && scope != "all") ThrowInvalid("scope", "bad_format");
    std::vector<PrizeView> prizes;
    if (scope == "all") {  // staff: also prizes not on sale (future, ended)
      auto actor = co_await StaffOnly(d, req);
      prizes = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return ListAllPrizes(tx, env, actor, f); }));
    } else {
      prizes = co_await Read(d.store, [&](SqlTx& tx) { return ListPrizes(tx, env, f); });
    }
    json::array arr;
    for (const auto& p : prizes) arr.push_back(PrizeJson(p, d.tz));
    co_return JsonResponse(200, json::object{{"prizes", arr}});
  });

  r.Add("GET", "/api/v1/prizes/{id}", [&d](Request& req) -> awaitable<Response> {
    PrizeId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto p = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return GetPrize(tx, env, id); }));
    co_return JsonResponse(200, json::object{{"prize", PrizeJson(p, d.tz)}});
  });

  r.Add("GET", "/api/v1/events", [&d](Request& req) -> awaitable<Response> {
    std::optional<BranchCode> branch;
    if (auto b = req.Query("branch"); !b.empty()) branch = BranchCode(b);
    auto now = d.clock.Now();
    auto events = co_await Read(d.store, [&](SqlTx& tx) { return ListEvents(tx, now, branch); });
    json::array arr;
    for (const auto& e : events) arr.push_back(EventJson(e, d.tz));
    co_return JsonResponse(200, json::object{{"events", arr}});
  });

  r.Add("GET", "/api/v1/events/{id}", [&d](Request& req) -> awaitable<Response> {
    EventId id(IdParam(req, "id"));
    auto e = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return GetEvent(tx, id); }));
    co_return JsonResponse(200, json::object{{"event", EventJson(e, d.tz)}});
  });

  // ---- patron ----
  r.Add("POST", "/api/v1/cards/{card}/redemptions", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    PrizeId prize(RequireInt(body, "prize_id"));
    auto env = EnvOf(d);
    auto c = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return RequestRedemption(tx, env, actor, card, prize); }));
    auto o = RedemptionJson(c.view, d.tz);
    o["code"] = c.code;
    o["code_key"] = crypto::Base64Url(c.code_key);
    o["step_seconds"] = std::chrono::seconds(kCodeStep).count();
    o["server_now"] = d.tz.Rfc3339(d.clock.Now());
    o["balance"] = c.balance;
    co_return JsonResponse(201, json::object{{"redemption", o}});
  });

  r.Add("GET", "/api/v1/cards/{card}/redemptions", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto list = co_await Read(d.store, [&](SqlTx& tx) { return CardRedemptions(tx, env, card); });
    json::array arr;
    for (const auto& v : list) arr.push_back(RedemptionJson(v, d.tz));
    co_return JsonResponse(200, json::object{{"redemptions", arr}});
  });

  r.Add("GET", "/api/v1/cards/{card}/redemptions/{id}", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    RedemptionId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return CardRedemption(tx, env, card, id); }));
    co_return JsonResponse(200, json::object{{"redemption", RedemptionJson(v, d.tz)}});
  });

  r.Add("GET", "/api/v1/cards/{card}/redemptions/{id}/code", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    RedemptionId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto c = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return CurrentRedemptionCode(tx, env, card, id); }));
    co_return JsonResponse(200, json::object{{"code", c.code}, {"changes_at", d.tz.Rfc3339(c.changes_at)}});
  });

  r.Add("DELETE", "/api/v1/cards/{card}/redemptions/{id}", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    RedemptionId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto v = OrThrow(
        co_await Write(d.store, [&](SqlTx& tx) { return CancelPendingRedemption(tx, env, actor, card, id); }));
    co_return JsonResponse(200, json::object{{"redemption", RedemptionJson(v, d.tz)}});
  });

  r.Add("POST", "/api/v1/cards/{card}/event-claims", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    auto token = RequireString(body, "token");
    if (token.size() > 64) throw HttpError{ErrorCode::kTokenInvalid};
    auto env = EnvOf(d);
    auto c = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return ClaimAttendance(tx, env, actor, card, token); }));
    co_return JsonResponse(201, json::object{{"event_id", c.event.value()},
                                             {"points_credited", c.points_credited},
                                             {"balance", c.balance}});
  });

  r.Add("POST", "/api/v1/cards/{card}/events/{id}/registration", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    EventId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return RegisterForEvent(tx, env, actor, card, id); }));
    co_return JsonResponse(201, json::object{{"registration", RegistrationJson(v)}});
  });

  r.Add("DELETE", "/api/v1/cards/{card}/events/{id}/registration", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    EventId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CancelRegistration(tx, env, actor, card, id); }));
    co_return JsonResponse(200, json::object{{"registration", RegistrationJson(v)}});
  });

  r.Add("GET", "/api/v1/cards/{card}/registrations", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto list = co_await Read(d.store, [&](SqlTx& tx) { return CardRegistrations(tx, card); });
    json::array arr;
    for (const auto& v : list) arr.push_back(RegistrationJson(v, false));
    co_return JsonResponse(200, json::object{{"registrations", arr}});
  });

  // ---- counter ----
  r.Add("POST", "/api/v1/counter/redemptions/scan", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    auto code = RequireString(body, "code");
    auto env = EnvOf(d);
    auto s = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return ScanRedemption(tx, env, actor, code); }));
    co_return JsonResponse(200, json::object{{"redemption", RedemptionJson(s.redemption, d.tz)},
                                             {"card_masked", s.card_masked},
                                             {"prize", PrizeJson(s.prize, d.tz)},
                                             {"balance", s.balance}});
  });

  r.Add("POST", "/api/v1/counter/redemptions/{id}/complete", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    RedemptionId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    auto code = RequireString(body, "code");
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CompleteRedemption(tx, env, actor, id, code); }));
    co_return JsonResponse(200, json::object{{"redemption", RedemptionJson(v, d.tz)}});
  });

  r.Add("POST", "/api/v1/counter/redemptions", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    CardNumber card(RequireString(body, "card"));
    PrizeId prize(RequireInt(body, "prize_id"));
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CounterRedeem(tx, env, actor, card, prize); }));
    co_return JsonResponse(201, json::object{{"redemption", RedemptionJson(v, d.tz)}});
  });

  r.Add("POST", "/api/v1/counter/redemptions/{id}/cancel", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    RedemptionId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    auto reason = RequireString(body, "reason");
    auto env = EnvOf(d);
    auto v = OrThrow(
        co_await Write(d.store, [&](SqlTx& tx) { return CancelCompletedRedemption(tx, env, actor, id, reason); }));
    co_return JsonResponse(200, json::object{{"redemption", RedemptionJson(v, d.tz)}});
  });

  // ---- prizes and events (admins) ----
  r.Add("POST", "/api/v1/prizes", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    PrizeInput in;
    in.branch = BranchCode(RequireString(body, "branch"));
    in.name = RequireString(body, "name");
    in.description = OptionalString(body, "description").value_or("");
    in.sponsor = OptionalString(body, "sponsor").value_or("");
    in.image_url = OptionalString(body, "image_url");
    in.cost = RequireInt(body, "cost");
    in.stock = NonNegative(body, "stock");
    in.per_card_limit = OptionalNonNegative(body, "per_card_limit").value_or(0);
    in.on_sale_from = OptionalInstant(body, "on_sale_from");
    in.on_sale_until = OptionalInstant(body, "on_sale_until");
    auto env = EnvOf(d);
    auto p = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreatePrize(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"prize", PrizeJson(p, d.tz)}});
  });

  r.Add("PATCH", "/api/v1/prizes/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    PrizeId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    if (body.contains("branch")) ThrowInvalid("branch", "bad_format");
    PrizePatch p;
    p.name = OptionalString(body, "name");
    p.description = OptionalString(body, "description");
    p.sponsor = OptionalString(body, "sponsor");
    p.image_url = Nullable<std::string>(body, "image_url", RequireString);
    p.cost = OptionalInt(body, "cost");
    p.stock = OptionalInt(body, "stock");
    p.per_card_limit = OptionalNonNegative(body, "per_card_limit");
    p.on_sale_from = Nullable<Instant>(body, "on_sale_from", RequireInstant);
    p.on_sale_until = Nullable<Instant>(body, "on_sale_until", RequireInstant);
    p.reason = OptionalString(body, "reason");
    auto env = EnvOf(d);
    auto v = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdatePrize(tx, env, actor, id, p); }));
    co_return JsonResponse(200, json::object{{"prize", PrizeJson(v, d.tz)}});
  });

  r.Add("POST", "/api/v1/events", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    EventInput in;
    in.branch = BranchCode(RequireString(body, "branch"));
    in.title = RequireString(body, "title");
    in.description = OptionalString(body, "description").value_or("");
    in.starts_at = RequireInstant(body, "starts_at");
    in.ends_at = RequireInstant(body, "ends_at");
    in.attendance_points = NonNegative(body, "attendance_points");
    in.capacity = NonNegative(body, "capacity");
    in.registration_cost = OptionalNonNegative(body, "registration_cost").value_or(0);
    in.registration_deadline = OptionalInstant(body, "registration_deadline");
    auto env = EnvOf(d);
    auto e = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateEvent(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"event", EventJson(e, d.tz)}});
  });

  r.Add("PATCH", "/api/v1/events/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    EventId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    if (body.contains("branch")) ThrowInvalid("branch", "bad_format");
    EventPatch p;
    p.title = OptionalString(body, "title");
    p.description = OptionalString(body, "description");
    p.starts_at = OptionalInstant(body, "starts_at");
    p.ends_at = OptionalInstant(body, "ends_at");
    p.attendance_points = OptionalNonNegative(body, "attendance_points");
    p.capacity = OptionalNonNegative(body, "capacity");
    p.registration_cost = OptionalNonNegative(body, "registration_cost");
    p.registration_deadline = Nullable<Instant>(body, "registration_deadline", RequireInstant);
    auto env = EnvOf(d);
    auto e = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdateEvent(tx, env, actor, id, p); }));
    co_return JsonResponse(200, json::object{{"event", EventJson(e, d.tz)}});
  });

  r.Add("GET", "/api/v1/events/{id}/attendance-token", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    EventId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto t = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return CurrentAttendanceToken(tx, env, actor, id); }));
    co_return JsonResponse(200, json::object{{"token", t.token}, {"changes_at", d.tz.Rfc3339(t.changes_at)}});
  });

  r.Add("POST", "/api/v1/events/{id}/backfills", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    EventId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    CardNumber card(RequireString(body, "card"));
    auto note = RequireString(body, "note");
    auto env = EnvOf(d);
    auto b = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return FileBackfill(tx, env, actor, id, card, note); }));
    co_return JsonResponse(201, json::object{{"backfill", BackfillJson(b, d.tz)}});
  });

  auto decide = [&d](bool approve) {
    return [&d, approve](Request& req) -> awaitable<Response> {
      auto actor = co_await StaffOnly(d, req);
      BackfillId id(IdParam(req, "id"));
      auto env = EnvOf(d);
      auto b = OrThrow(co_await Write(d.store, [&](SqlTx& tx) {
        return approve ? ApproveBackfill(tx, env, actor, id) : RejectBackfill(tx, env, actor, id);
      }));
      co_return JsonResponse(200, json::object{{"backfill", BackfillJson(b, d.tz)}});
    };
  };
  r.Add("POST", "/api/v1/backfills/{id}/approve", decide(true));
  r.Add("POST", "/api/v1/backfills/{id}/reject", decide(false));

  r.Add("GET", "/api/v1/backfills", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kBackfill));
    std::optional<BackfillStatus> status;
    if (auto s = req.Query("status"); !s.empty()) {
      status = BackfillStatusFromString(s);
      if (!status) ThrowInvalid("status", "bad_format");
    }
    auto list = co_await Read(d.store, [&](SqlTx& tx) { return ListBackfills(tx, actor, status); });
    json::array arr;
    for (const auto& b : list) arr.push_back(BackfillJson(b, d.tz));
    co_return JsonResponse(200, json::object{{"backfills", arr}});
  });
}

}  // namespace bookstamp::http
