// The patron's inbox, notice preferences and Web Push subscriptions (PRODUCT.md P10): titles and
// bodies rendered from the notice templates in the request's language.
#include "app/inbox.hpp"
#include "app/notice_text.hpp"
#include "app/push.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

json::object PreferencesJson(const std::vector<NoticePreference>& prefs) {
  json::array kinds, list;
  for (const auto& k : NoticeKinds()) kinds.push_back(json::value(k));
  for (const auto& p : prefs) list.push_back(json::object{{"kind", p.kind}, {"channel", p.channel}, {"enabled", p.enabled}});
  return json::object{{"kinds", kinds}, {"channels", json::array{"email", "push", "inbox"}}, {"preferences", list}};
}

}  // namespace

void AddNoticeRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/cards/{card}/notices", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    std::optional<std::int64_t> before;
    if (auto s = req.Query("before"); !s.empty()) before = IdParam(Request{.params = {{"before", s}}}, "before");
    int limit = 50;
    if (auto s = req.Query("limit"); !s.empty()) {
      limit = static_cast<int>(IdParam(Request{.params = {{"limit", s}}}, "limit"));
      if (limit > 200) ThrowInvalid("limit", "out_of_range");
    }
    auto [list, unread] = co_await Read(d.store, [&](SqlTx& tx) {
      return std::make_pair(ListInbox(tx, card, limit, before), UnreadCount(tx, card));
    });
    json::array arr;
    for (const auto& n : list) {
      auto text = RenderNotice(n.kind, n.payload, req.lang);
      arr.push_back(json::object{{"id", n.id},
                                 {"kind", n.kind},
                                 {"title", text.title},
                                 {"body", text.text},
                                 {"created_at", d.tz.Rfc3339(n.created_at)},
                                 {"read", n.read_at.has_value()}});
    }
    co_return JsonResponse(200, json::object{{"notices", arr}, {"unread", unread}});
  });

  r.Add("POST", "/api/v1/cards/{card}/notices/{id}/read", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto id = IdParam(req, "id");
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return MarkNoticeRead(tx, env, card, id); }));
    co_return NoContent();
  });

  r.Add("POST", "/api/v1/cards/{card}/notices/read-all", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto env = EnvOf(d);
    auto changed = co_await Write(d.store, [&](SqlTx& tx) {
      return std::make_pair(TxOutcome::kCommit, MarkAllNoticesRead(tx, env, card));
    });
    co_return JsonResponse(200, json::object{{"marked", changed}});
  });

  r.Add("GET", "/api/v1/cards/{card}/notice-preferences", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto prefs = co_await Read(d.store, [&](SqlTx& tx) { return LoadNoticePreferences(tx, card); });
    co_return JsonResponse(200, PreferencesJson(prefs));
  });

  r.Add("PUT", "/api/v1/cards/{card}/notice-preferences", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    auto* list = body.if_contains("preferences");
    if (!list || !list->is_array()) ThrowInvalid("preferences", "required");
    std::vector<NoticePreference> prefs;
    for (const auto& v : list->as_array()) {
      if (!v.is_object()) ThrowInvalid("preferences", "bad_format");
      const auto& o = v.as_object();
      prefs.push_back({RequireString(o, "kind"), RequireString(o, "channel"), RequireBool(o, "enabled")});
    }
    auto saved = OrThrow(co_await Write(d.store, [&](SqlTx& tx) -> Result<std::vector<NoticePreference>> {
      if (auto ok = SaveNoticePreferences(tx, card, prefs); !ok) return Fail(ok.error());
      return LoadNoticePreferences(tx, card);
    }));
    co_return JsonResponse(200, PreferencesJson(saved));
  });

  // The server's VAPID public key (RFC 8292), for PushManager.subscribe's applicationServerKey.
  r.Add("GET", "/api/v1/push/vapid-public-key", [&d](Request&) -> awaitable<Response> {
    auto key = co_await Read(d.store, [&](SqlTx& tx) { return LoadVapidKey(tx); });
    if (!key) throw std::runtime_error("no VAPID key: the server makes one when it starts");
    co_return JsonResponse(200, json::object{{"public_key", key->public_key}});
  });

  // A browser's PushSubscription.toJSON(): {endpoint, keys: {p256dh, auth}}.
  r.Add("PUT", "/api/v1/cards/{card}/push-subscriptions", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    PushSubscriptionInput in;
    in.endpoint = RequireString(body, "endpoint");
    auto* keys = body.if_contains("keys");
    if (!keys || !keys->is_object()) ThrowInvalid("keys", "required");
    in.p256dh = RequireString(keys->as_object(), "p256dh");
    in.auth = RequireString(keys->as_object(), "auth");
    auto env = EnvOf(d);
    auto [created, count] = OrThrow(co_await Write(d.store, [&](SqlTx& tx) -> Result<std::pair<bool, std::int64_t>> {
      auto saved = SavePushSubscription(tx, env, card, in, d.push_allow_local_endpoints);
      if (!saved) return Fail(saved.error());
      return std::make_pair(*saved, PushSubscriptionCount(tx, card));
    }));
    co_return JsonResponse(created ? 201 : 200,
                           json::object{{"endpoint", in.endpoint}, {"created", created}, {"subscriptions", count}});
  });

  r.Add("DELETE", "/api/v1/cards/{card}/push-subscriptions", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    co_await PatronWithCard(d, req, card);
    auto body = ParseJsonObject(req);
    auto endpoint = RequireString(body, "endpoint");
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return DeletePushSubscription(tx, card, endpoint); }));
    co_return NoContent();
  });
}

}  // namespace bookstamp::http
