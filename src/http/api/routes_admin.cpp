// Branches, patrons, staff, bibs, policy, audit verification and the test clock.
#include "app/audit.hpp"
#include "app/authz.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

CardType CardTypeField(const json::object& o, std::string_view field) {
  auto s = RequireString(o, field);
  auto t = CardTypeFromString(s);
  if (!t) ThrowInvalid(field, "bad_format");
  return *t;
}

const json::object& ObjectField(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) ThrowInvalid(field, "required");
  if (!it->value().is_object()) ThrowInvalid(field, "not_object");
  return it->value().get_object();
}

std::optional<BranchCode> NullableBranch(const json::object& o, std::string_view field) {
  auto s = OptionalString(o, field);
  if (!s) return std::nullopt;
  return BranchCode(*s);
}

int IntIn(const json::object& o, std::string_view field, int current, int lo, int hi) {
  auto v = OptionalInt(o, field);
  if (!v) return current;
  if (*v < lo || *v > hi) ThrowInvalid(field, "out_of_range");
  return static_cast<int>(*v);
}

json::object StaffAccountJson(const StaffAccount& a, const TimeZone& tz) {
  auto o = ToJson(a.view);
  o["active"] = a.active;
  o["created_at"] = tz.Rfc3339(a.created_at);
  return o;
}

// A merge patch over the current policy.
PolicyView PatchPolicy(PolicyView p, const json::object& body) {
  if (auto it = body.find("card_types"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_object()) ThrowInvalid("card_types", "not_object");
    for (const auto& [key, val] : it->value().get_object()) {
      auto type = CardTypeFromString(std::string(key));
      if (!type) ThrowInvalid("card_types", "bad_format");
      if (!val.is_object()) ThrowInvalid(std::string("card_types.") + std::string(key), "not_object");
      const auto& o = val.get_object();
      auto& c = *type == CardType::kPersonal ? p.library.personal
                : *type == CardType::kFamily ? p.library.family
                                             : p.library.group;
      c.max_loans = IntIn(o, "max_loans", c.max_loans, 0, 100000);
      c.loan_days = IntIn(o, "loan_days", c.loan_days, 1, 3650);
      c.max_renewals = IntIn(o, "max_renewals", c.max_renewals, 0, 100);
      c.max_holds = IntIn(o, "max_holds", c.max_holds, 0, 10000);
      if (auto e = OptionalBool(o, "earns_points")) c.earns_points = *e;
    }
  }
  if (auto b = OptionalBool(body, "backfill_second_person")) p.backfill_second_person = *b;
  p.library.pickup_days = IntIn(body, "pickup_days", p.library.pickup_days, 1, 365);
  p.library.no_show_limit = IntIn(body, "no_show_limit", p.library.no_show_limit, 1, 100);
  p.library.no_show_window_days = IntIn(body, "no_show_window_days", p.library.no_show_window_days, 1, 3650);
  p.library.no_show_suspension_days =
      IntIn(body, "no_show_suspension_days", p.library.no_show_suspension_days, 0, 3650);
  if (auto it = body.find("points"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_object()) ThrowInvalid("points", "not_object");
    const auto& o = it->value().get_object();
    if (auto pl = o.find("per_loan"); pl != o.end() && !pl->value().is_null()) {
      if (!pl->value().is_object()) ThrowInvalid("points.per_loan", "not_object");
      const auto& per = pl->value().get_object();
      p.points.per_loan_counter = IntIn(per, "counter", p.points.per_loan_counter, 0, 1000);
      p.points.per_loan_kiosk = IntIn(per, "kiosk", p.points.per_loan_kiosk, 0, 1000);
      p.points.per_loan_mobile = IntIn(per, "mobile", p.points.per_loan_mobile, 0, 1000);
    }
    p.points.daily_cap = IntIn(o, "daily_cap", p.points.daily_cap, 0, 1000000);
    p.points.monthly_cap = IntIn(o, "monthly_cap", p.points.monthly_cap, 0, 1000000);
    if (auto t = o.find("no_points_item_types"); t != o.end()) {
      if (!t->value().is_array()) ThrowInvalid("points.no_points_item_types", "not_array");
      p.points.no_points_item_types.clear();
      for (const auto& v : t->value().get_array()) {
        if (!v.is_string()) ThrowInvalid("points.no_points_item_types", "not_string");
        p.points.no_points_item_types.insert(std::string(v.get_string()));
      }
    }
  }
  return p;
}

}  // namespace

void AddAdminRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/branches", [&d](Request&) -> awaitable<Response> {
    auto branches = co_await Read(d.store, [&](SqlTx& tx) { return ListBranches(tx); });
    json::array arr;
    for (const auto& b : branches) arr.push_back(ToJson(b));
    co_return JsonResponse(200, json::object{{"branches", arr}});
  });

  r.Add("POST", "/api/v1/branches", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    BranchInput in{RequireString(body, "code"), RequireString(body, "name"),
                   OptionalBool(body, "mobile_checkout").value_or(false)};
    auto env = EnvOf(d);
    auto b = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateBranch(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"branch", ToJson(b)}});
  });

  r.Add("PATCH", "/api/v1/branches/{code}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    if (body.contains("code")) ThrowInvalid("code", "bad_format");
    BranchPatch patch;
    patch.name = OptionalString(body, "name");
    if (body.contains("name") && !patch.name) ThrowInvalid("name", "required");
    patch.mobile_checkout = OptionalBool(body, "mobile_checkout");
    if (auto it = body.find("closed_weekdays"); it != body.end()) {
      std::set<unsigned> days;
      if (!it->value().is_null()) {
        if (!it->value().is_array()) ThrowInvalid("closed_weekdays", "not_array");
        for (const auto& v : it->value().get_array()) {
          if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() > 6) ThrowInvalid("closed_weekdays", "out_of_range");
          days.insert(static_cast<unsigned>(v.get_int64()));
        }
      }
      patch.closed_weekdays = days;
    }
    BranchCode code(req.params.at("code"));
    auto env = EnvOf(d);
    auto b = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdateBranch(tx, env, actor, code, patch); }));
    co_return JsonResponse(200, json::object{{"branch", ToJson(b)}});
  });

  auto holiday = [&d](bool closed) {
    return [&d, closed](Request& req) -> awaitable<Response> {
      auto actor = co_await StaffOnly(d, req);
      BranchCode code(req.params.at("code"));
      auto day = ParseDate(req.params.at("day"));
      if (!day) ThrowInvalid("day", "bad_format");
      std::string name;
      if (closed && !req.body.empty()) name = OptionalString(ParseJsonObject(req), "name").value_or("");
      auto env = EnvOf(d);
      OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return SetHoliday(tx, env, actor, code, *day, name, closed); }));
      co_return NoContent();
    };
  };
  r.Add("PUT", "/api/v1/branches/{code}/holidays/{day}", holiday(true));
  r.Add("DELETE", "/api/v1/branches/{code}/holidays/{day}", holiday(false));

  r.Add("POST", "/api/v1/patrons", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kManageCatalog));
    auto body = ParseJsonObject(req);
    PatronInput in;
    in.name = RequireString(body, "name");
    in.email = OptionalString(body, "email");
    const auto& card = ObjectField(body, "card");
    in.card = RequireString(card, "card");
    in.type = CardTypeField(card, "type");
    auto pin = RequireString(card, "pin");
    if (pin.size() < 4 || pin.size() > 128) ThrowInvalid("card.pin", "out_of_range");
    in.pin_hash = co_await HashSecretOffThread(d, pin);
    auto env = EnvOf(d);
    auto p = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreatePatron(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"patron", json::object{{"id", p.id.value()}, {"card", p.card.value()}}}});
  });

  r.Add("POST", "/api/v1/staff", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kManageStaff));
    auto body = ParseJsonObject(req);
    StaffInput in;
    in.username = RequireString(body, "username");
    auto password = RequireString(body, "password");
    if (password.size() < 8 || password.size() > 256) ThrowInvalid("password", "out_of_range");
    auto role = RoleFromString(RequireString(body, "role"));
    if (!role) ThrowInvalid("role", "bad_format");
    in.role = *role;
    in.branch = NullableBranch(body, "branch");
    in.password_hash = co_await HashSecretOffThread(d, password);
    auto env = EnvOf(d);
    auto s = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateStaff(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"staff", ToJson(s)}});
  });

  r.Add("GET", "/api/v1/staff", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto list = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return ListStaff(tx, actor); }));
    json::array arr;
    for (const auto& a : list) arr.push_back(StaffAccountJson(a, d.tz));
    co_return JsonResponse(200, json::object{{"staff", arr}});
  });

  r.Add("PATCH", "/api/v1/staff/{username}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kManageStaff));
    auto body = ParseJsonObject(req);
    if (body.contains("username")) ThrowInvalid("username", "bad_format");
    StaffPatch patch;
    if (auto role = OptionalString(body, "role")) {
      patch.role = RoleFromString(*role);
      if (!patch.role) ThrowInvalid("role", "bad_format");
    }
    if (body.contains("branch")) patch.branch = NullableBranch(body, "branch");
    patch.active = OptionalBool(body, "active");
    std::optional<std::string> password = OptionalString(body, "password");
    if (password) {
      if (password->size() < 8 || password->size() > 256) ThrowInvalid("password", "out_of_range");
      patch.password_hash = co_await HashSecretOffThread(d, *password);
    }
    auto username = req.params.at("username");
    auto env = EnvOf(d);
    auto a = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdateStaff(tx, env, actor, username, patch); }));
    co_return JsonResponse(200, json::object{{"staff", StaffAccountJson(a, d.tz)}});
  });

  r.Add("POST", "/api/v1/bibs", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    BibInput in;
    in.title = RequireString(body, "title");
    in.author = OptionalString(body, "author").value_or("");
    in.publisher = OptionalString(body, "publisher").value_or("");
    if (auto y = OptionalInt(body, "year")) {
      if (*y < 0 || *y > 9999) ThrowInvalid("year", "out_of_range");
      in.year = static_cast<int>(*y);
    }
    in.isbn = OptionalString(body, "isbn").value_or("");
    in.class_no = OptionalString(body, "class_no").value_or("");
    if (auto it = body.find("items"); it != body.end() && !it->value().is_null()) {
      if (!it->value().is_array()) ThrowInvalid("items", "not_array");
      const auto& arr = it->value().get_array();
      if (arr.size() > 1000) ThrowInvalid("items", "too_long");
      for (const auto& v : arr) {
        if (!v.is_object()) ThrowInvalid("items", "not_object");
        const auto& o = v.get_object();
        ItemInput item;
        item.barcode = RequireString(o, "barcode");
        item.branch = RequireString(o, "branch");
        item.loanable = OptionalBool(o, "loanable").value_or(true);
        item.item_type = OptionalString(o, "item_type").value_or("book");
        item.call_number = OptionalString(o, "call_number").value_or("");
        in.items.push_back(std::move(item));
      }
    }
    auto env = EnvOf(d);
    auto id = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateBib(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"bib_id", id.value()}});
  });

  r.Add("GET", "/api/v1/bibs/{id}", [&d](Request& req) -> awaitable<Response> {
    BibId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    auto bib = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return GetBib(tx, env, id); }));
    co_return JsonResponse(200, ToJson(bib));
  });

  r.Add("GET", "/api/v1/policy", [&d](Request& req) -> awaitable<Response> {
    co_await StaffOnly(d, req);
    auto p = co_await Read(d.store, [&](SqlTx& tx) { return LoadAllPolicy(tx); });
    co_return JsonResponse(200, json::object{{"policy", ToJson(p)}});
  });

  r.Add("PATCH", "/api/v1/policy", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kManagePolicy));
    auto body = ParseJsonObject(req);
    auto env = EnvOf(d);
    auto p = OrThrow(co_await Write(d.store, [&](SqlTx& tx) {
      return UpdatePolicy(tx, env, actor, PatchPolicy(LoadAllPolicy(tx), body));
    }));
    co_return JsonResponse(200, json::object{{"policy", ToJson(p)}});
  });

  r.Add("GET", "/api/v1/audit/verify", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kAuditRead));
    auto v = co_await Read(d.store, [&](SqlTx& tx) { return VerifyAudit(tx); });
    json::object out{{"ok", v.ok},
                     {"entries", v.entries},
                     {"head", v.head},
                     {"first_broken", v.first_broken ? json::value(*v.first_broken) : json::value(nullptr)}};
    if (!v.ok) out["reason"] = v.reason;
    co_return JsonResponse(200, out);
  });

  if (d.test_clock) {
    r.Add("PUT", "/api/v1/test/clock", [&d](Request& req) -> awaitable<Response> {
      auto body = ParseJsonObject(req);
      auto t = ParseRfc3339(RequireString(body, "now"));
      if (!t) ThrowInvalid("now", "bad_format");
      d.test_clock->Set(*t);
      co_return JsonResponse(200, json::object{{"now", d.tz.Rfc3339(*t)}});
    });
  }
}

void AddApiRoutes(Router& router, ApiDeps& deps) {
  ApiRouter r{router, deps};
  AddSessionRoutes(r, deps);
  AddPatronRoutes(r, deps);
  AddCirculationRoutes(r, deps);
  AddAdminRoutes(r, deps);
  AddPassbookRoutes(r, deps);
  AddTransparencyRoutes(r, deps);
  AddCardRoutes(r, deps);
  AddLotteryRoutes(r, deps);
  AddNoticeRoutes(r, deps);
  AddReportRoutes(r, deps);
  AddContentRoutes(r, deps);
  AddSearchRoutes(r, deps);
  AddOpsRoutes(r, deps);
  AddPasskeyRoutes(r, deps);
}

}  // namespace bookstamp::http
