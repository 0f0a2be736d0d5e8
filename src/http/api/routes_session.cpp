// POST/DELETE /session, POST /staff/session, GET /me, POST/DELETE /me/cards (API.md "Sessions").
#include <mutex>

#include "app/crypto.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

// A hash to verify against when the card or user does not exist, so both cost the same time.
const std::string& DummyHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] { hash = crypto::HashPassword(crypto::RandomToken(16)); });
  return hash;
}

// Card-number/PIN and username/password checks: rate limit, argon2id off-thread, failures recorded.
// Returns normally only when the secret matched.
awaitable<void> CheckSecret(ApiDeps& d, const Request& req, const std::string& key,
                            std::function<std::optional<Credential>(SqlTx&)> load, const std::string& secret) {
  auto env = EnvOf(d);
  std::optional<Credential> cred;
  OrThrow(co_await Read(d.store, [&](SqlTx& tx) -> Result<void> {
    if (auto ok = CheckLoginRate(tx, env, key, req.remote_ip); !ok) return ok;
    cred = load(tx);
    return {};
  }));
  bool ok = co_await VerifySecretOffThread(d, cred ? cred->hash : DummyHash(), secret);
  if (!ok || !cred || !cred->usable) {
    co_await Write(d.store, [&](SqlTx& tx) { RecordLoginFailure(tx, env, key, req.remote_ip); });
    throw HttpError{ErrorCode::kUnauthenticated};
  }
}

// A login answer. With "X-Session: cookie" (the web app) the token also goes into an HttpOnly
// cookie and the answer carries the CSRF value that writes must send back as X-CSRF-Token.
Response WithWebSession(const Request& req, json::object answer, const std::string& token, std::chrono::seconds ttl) {
  if (req.Header("X-Session") != "cookie") return JsonResponse(201, answer);
  answer["csrf_token"] = CsrfToken(token);
  auto res = JsonResponse(201, answer);
  res.headers.emplace_back("Set-Cookie", SessionCookie(token, ttl));
  return res;
}

std::string Bounded(const json::object& body, std::string_view field, std::size_t max) {
  auto s = RequireString(body, field);
  if (s.empty()) ThrowInvalid(field, "empty");
  if (s.size() > max) ThrowInvalid(field, "too_long");
  return s;
}

}  // namespace

void AddSessionRoutes(ApiRouter& r, ApiDeps& d) {
  r.AddLogin("POST", "/api/v1/session", [&d](Request& req) -> awaitable<Response> {
    auto body = ParseJsonObject(req);
    CardNumber card(Bounded(body, "card", 32));
    auto pin = Bounded(body, "pin", 128);
    co_await CheckSecret(
        d, req, "card:" + card.value(), [&](SqlTx& tx) { return LoadCardCredential(tx, card); }, pin);
    auto env = EnvOf(d);
    auto s = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return OpenPatronSession(tx, env, card, req.remote_ip); }));
    json::array cards;
    for (const auto& c : s.cards) cards.push_back(ToJson(c));
    json::object answer{{"token", s.token}, {"account", json::object{{"id", s.account.value()}, {"cards", cards}}}};
    co_return WithWebSession(req, std::move(answer), s.token, kPatronSessionTtl);
  });

  r.AddLogin("POST", "/api/v1/staff/session", [&d](Request& req) -> awaitable<Response> {
    auto body = ParseJsonObject(req);
    auto username = Bounded(body, "username", 64);
    auto password = Bounded(body, "password", 256);
    OptionalString(body, "otp");  // accepted for the contract; second factors are not configured
    co_await CheckSecret(
        d, req, "staff:" + username, [&](SqlTx& tx) { return LoadStaffCredential(tx, username); }, password);
    auto env = EnvOf(d);
    auto s = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return OpenStaffSession(tx, env, username, req.remote_ip); }));
    co_return WithWebSession(req, json::object{{"token", s.token}, {"staff", ToJson(s.staff)}}, s.token,
                             kStaffSessionTtl);
  });

  r.Add("DELETE", "/api/v1/session", [&d](Request& req) -> awaitable<Response> {
    co_await Authenticated(d, req);
    auto token = BearerToken(req);
    co_await Write(d.store, [&](SqlTx& tx) { RevokeSession(tx, token); });
    auto res = NoContent();
    res.headers.emplace_back("Set-Cookie", SessionCookie("", std::chrono::seconds(0)));
    co_return res;
  });

  r.Add("GET", "/api/v1/me", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await Authenticated(d, req);
    if (actor.kind != Actor::Kind::kPatron) throw HttpError{ErrorCode::kForbidden};
    auto [cards, lang] = co_await Read(d.store, [&](SqlTx& tx) {
      return std::make_pair(AccountCards(tx, *actor.account), AccountLanguage(tx, *actor.account));
    });
    json::array arr;
    for (const auto& c : cards) arr.push_back(ToJson(c));
    co_return JsonResponse(200, json::object{{"id", actor.account->value()}, {"lang", lang}, {"cards", arr}});
  });

  // The language of the account's notices: {"lang": "zh-TW" | "en"}.
  r.Add("PATCH", "/api/v1/me", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await Authenticated(d, req);
    if (actor.kind != Actor::Kind::kPatron) throw HttpError{ErrorCode::kForbidden};
    auto body = ParseJsonObject(req);
    auto lang = RequireString(body, "lang");
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return SetAccountLanguage(tx, *actor.account, lang); }));
    co_return JsonResponse(200, json::object{{"id", actor.account->value()}, {"lang", lang}});
  });

  r.Add("POST", "/api/v1/me/cards", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await Authenticated(d, req);
    if (actor.kind != Actor::Kind::kPatron) throw HttpError{ErrorCode::kForbidden};
    auto body = ParseJsonObject(req);
    CardNumber card(Bounded(body, "card", 32));
    auto pin = Bounded(body, "pin", 128);
    co_await CheckSecret(
        d, req, "card:" + card.value(), [&](SqlTx& tx) { return LoadCardCredential(tx, card); }, pin);
    auto env = EnvOf(d);
    auto linked = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return LinkCard(tx, env, *actor.account, card); }));
    co_return JsonResponse(201, json::object{{"card", ToJson(linked)}});
  });

  r.Add("DELETE", "/api/v1/me/cards/{card}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await Authenticated(d, req);
    if (actor.kind != Actor::Kind::kPatron) throw HttpError{ErrorCode::kForbidden};
    CardNumber card(req.params.at("card"));
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UnlinkCard(tx, env, *actor.account, card); }));
    co_return NoContent();
  });
}

}  // namespace bookstamp::http
