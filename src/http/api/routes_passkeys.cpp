// Passkeys (WebAuthn, PRODUCT.md P11): /cards/{card}/passkeys (register, list, remove) and
// /session/passkey (log in). Bodies follow PublicKeyCredential.toJSON(): base64url fields.
#include <boost/json/parse.hpp>

#include "app/crypto.hpp"
#include "app/passkeys.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

constexpr std::size_t kMaxField = 16 * 1024;
constexpr const char* kRpName = "書印 Bookstamp";

// The Host header without its port, lowercased; "" when it is not a plain host name or address.
std::string HostName(const std::string& host) {
  if (host.empty() || host.size() > 255) return {};
  std::string name = host.front() == '[' ? host.substr(0, host.find(']') + 1) : host.substr(0, host.find(':'));
  for (auto& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '[' && c != ']' && c != ':')
      return {};
  }
  return name;
}

// [webauthn] rp_id and origins when configured; else the request's host, and its origin with
// http for localhost (a secure context in browsers) and https for any other host.
webauthn::RelyingParty RelyingPartyFor(const ApiDeps& d, const Request& req) {
  webauthn::RelyingParty rp;
  auto host = req.Header("Host");
  auto name = HostName(host);
  rp.id = d.webauthn_rp_id.empty() ? name : d.webauthn_rp_id;
  if (!d.webauthn_origins.empty()) {
    rp.origins = d.webauthn_origins;
  } else if (!name.empty()) {
    bool local = name == "localhost" || name == "127.0.0.1" || name == "[::1]";
    rp.origins.push_back((local ? "http://" : "https://") + host);
  }
  if (rp.id.empty()) ThrowInvalid("Host", "bad_format");
  return rp;
}

std::string Base64Field(const json::object& o, std::string_view field, bool required = true) {
  auto v = required ? std::optional(RequireString(o, field)) : OptionalString(o, field);
  if (!v) return {};
  std::string_view text(*v);
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() > kMaxField) ThrowInvalid(field, "too_long");
  auto bytes = crypto::FromBase64Url(text);
  if (!bytes || (required && bytes->empty())) ThrowInvalid(field, "bad_format");
  return *bytes;
}

const json::object& ResponseObject(const json::object& body) {
  auto it = body.find("response");
  if (it == body.end() || !it->value().is_object()) ThrowInvalid("response", "required");
  return it->value().as_object();
}

// The members of clientDataJSON that are checked; PASSKEY_INVALID when it is not such a JSON object.
webauthn::ClientData ParseClientData(const std::string& raw) {
  boost::system::error_code ec;
  auto v = json::parse(raw, ec);
  if (ec || !v.is_object()) throw HttpError{DomainError(ErrorCode::kPasskeyInvalid, {{"reason", "client_data"}})};
  const auto& o = v.as_object();
  auto text = [&](const char* key) -> std::string {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string())
      throw HttpError{DomainError(ErrorCode::kPasskeyInvalid, {{"reason", "client_data"}})};
    return std::string(it->value().as_string());
  };
  webauthn::ClientData c{text("type"), text("challenge"), text("origin"), false};
  if (auto it = o.find("crossOrigin"); it != o.end() && it->value().is_bool()) c.cross_origin = it->value().as_bool();
  return c;
}

std::vector<std::string> Transports(const json::object& o) {
  std::vector<std::string> out;
  auto it = o.find("transports");
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) ThrowInvalid("transports", "bad_format");
  for (const auto& t : it->value().as_array()) {
    if (!t.is_string()) ThrowInvalid("transports", "bad_format");
    out.emplace_back(t.as_string());
  }
  return out;
}

json::array DescriptorsJson(const std::vector<PasskeyDescriptor>& ds) {
  json::array out;
  for (const auto& d : ds) {
    json::array ts;
    for (const auto& t : d.transports) ts.emplace_back(t);
    json::object o{{"type", "public-key"}, {"id", d.id}};
    if (!ts.empty()) o["transports"] = std::move(ts);
    out.push_back(std::move(o));
  }
  return out;
}

json::object PasskeyJson(const PasskeyView& p, const TimeZone& tz) {
  json::array ts;
  for (const auto& t : p.transports) ts.emplace_back(t);
  return {{"id", p.id},
          {"credential_id", p.credential_id},
          {"name", p.name},
          {"transports", std::move(ts)},
          {"created_at", tz.Rfc3339(p.created_at)},
          {"last_used_at", p.last_used_at ? json::value(tz.Rfc3339(*p.last_used_at)) : json::value(nullptr)},
          {"flagged", p.flagged}};
}

constexpr std::int64_t kTimeoutMs = std::chrono::milliseconds(kPasskeyChallengeTtl).count();

}  // namespace

void AddPasskeyRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("POST", "/api/v1/cards/{card}/passkeys/options", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto rp = RelyingPartyFor(d, req);
    auto env = EnvOf(d);
    auto o = OrThrow(co_await Write(d.store, [&](SqlTx& tx) {
      return BeginPasskeyRegistration(tx, env, *actor.account, card);
    }));
    json::object options{
        {"rp", json::object{{"id", rp.id}, {"name", kRpName}}},
        {"user", json::object{{"id", o.user_handle}, {"name", o.user_name}, {"displayName", o.display_name}}},
        {"challenge", o.challenge},
        {"pubKeyCredParams", json::array{json::object{{"type", "public-key"}, {"alg", webauthn::kEs256}},
                                         json::object{{"type", "public-key"}, {"alg", webauthn::kRs256}}}},
        {"timeout", kTimeoutMs},
        {"excludeCredentials", DescriptorsJson(o.exclude)},
        {"authenticatorSelection", json::object{{"residentKey", "preferred"},
                                                {"requireResidentKey", false},
                                                {"userVerification", "preferred"}}},
        {"attestation", "none"}};
    co_return JsonResponse(200, options);
  });

  r.Add("POST", "/api/v1/cards/{card}/passkeys", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto rp = RelyingPartyFor(d, req);
    auto body = ParseJsonObject(req);
    const auto& res = ResponseObject(body);
    NewPasskey in;
    in.client_data_json = Base64Field(res, "clientDataJSON");
    in.attestation_object = Base64Field(res, "attestationObject");
    in.transports = Transports(res);
    in.name = OptionalString(body, "name").value_or("");
    in.client = ParseClientData(in.client_data_json);
    auto env = EnvOf(d);
    // Committed whatever the outcome: the challenge is spent.
    auto result = co_await Write(d.store, [&](SqlTx& tx) {
      return std::pair{TxOutcome::kCommit, RegisterPasskey(tx, env, rp, *actor.account, card, in)};
    });
    co_return JsonResponse(201, json::object{{"passkey", PasskeyJson(OrThrow(std::move(result)), d.tz)}});
  });

  r.Add("GET", "/api/v1/cards/{card}/passkeys", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto list = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return ListPasskeys(tx, *actor.account, card); }));
    json::array arr;
    for (const auto& p : list) arr.push_back(PasskeyJson(p, d.tz));
    co_return JsonResponse(200, json::object{{"passkeys", std::move(arr)}});
  });

  r.Add("DELETE", "/api/v1/cards/{card}/passkeys/{id}", [&d](Request& req) -> awaitable<Response> {
    CardNumber card(req.params.at("card"));
    auto actor = co_await PatronWithCard(d, req, card);
    auto id = IdParam(req, "id");
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return RemovePasskey(tx, env, *actor.account, card, id); }));
    co_return NoContent();
  });

  r.Add("POST", "/api/v1/session/passkey/options", [&d](Request& req) -> awaitable<Response> {
    std::optional<CardNumber> card;
    if (!req.body.empty()) {
      auto body = ParseJsonObject(req);
      if (auto c = OptionalString(body, "card")) {
        if (c->empty() || c->size() > 32) ThrowInvalid("card", "bad_format");
        card = CardNumber(*c);
      }
    }
    auto rp = RelyingPartyFor(d, req);
    auto env = EnvOf(d);
    auto o = co_await Write(d.store, [&](SqlTx& tx) {
      return std::pair{TxOutcome::kCommit, BeginPasskeyLogin(tx, env, card)};
    });
    co_return JsonResponse(200, json::object{{"challenge", o.challenge},
                                             {"timeout", kTimeoutMs},
                                             {"rpId", rp.id},
                                             {"allowCredentials", DescriptorsJson(o.allow)},
                                             {"userVerification", "preferred"}});
  });

  r.AddLogin("POST", "/api/v1/session/passkey", [&d](Request& req) -> awaitable<Response> {
    auto rp = RelyingPartyFor(d, req);
    auto body = ParseJsonObject(req);
    const auto& res = ResponseObject(body);
    PasskeyAssertion in;
    auto id = RequireString(body, "id");
    if (id.empty() || id.size() > 1400) ThrowInvalid("id", "bad_format");
    in.credential_id = id;
    in.client_data_json = Base64Field(res, "clientDataJSON");
    in.authenticator_data = Base64Field(res, "authenticatorData");
    in.signature = Base64Field(res, "signature");
    if (auto h = OptionalString(res, "userHandle"); h && !h->empty()) {
      Base64Field(res, "userHandle", false);  // well-formed base64url
      in.user_handle = *h;
      while (!in.user_handle.empty() && in.user_handle.back() == '=') in.user_handle.pop_back();
    }
    in.client = ParseClientData(in.client_data_json);
    auto env = EnvOf(d);
    // Committed whatever the outcome: the challenge is spent, failures and counter flags recorded.
    auto s = OrThrow(co_await Write(d.store, [&](SqlTx& tx) {
      return std::pair{TxOutcome::kCommit, LoginWithPasskey(tx, env, rp, in, req.remote_ip)};
    }));
    json::array cards;
    for (const auto& c : s.cards) cards.push_back(ToJson(c));
    json::object answer{{"token", s.token}, {"account", json::object{{"id", s.account.value()}, {"cards", cards}}}};
    // As POST /session: "X-Session: cookie" also sets the HttpOnly cookie and returns the CSRF value.
    if (req.Header("X-Session") != "cookie") co_return JsonResponse(201, answer);
    answer["csrf_token"] = CsrfToken(s.token);
    auto out = JsonResponse(201, answer);
    out.headers.emplace_back("Set-Cookie", SessionCookie(s.token, kPatronSessionTtl));
    co_return out;
  });
}

}  // namespace bookstamp::http
