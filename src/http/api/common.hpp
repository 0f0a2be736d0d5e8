// Shared by the route files: authentication, authorization helpers, hashing off the I/O threads,
// and domain values as JSON (boost::json lives only in http/).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>

#include "app/admin.hpp"
#include "app/catalog.hpp"
#include "app/circulation.hpp"
#include "app/context.hpp"
#include "app/sessions.hpp"
#include "http/api/api.hpp"
#include "http/errors.hpp"
#include "http/json_body.hpp"
#include "http/router.hpp"
#include "http/store_bridge.hpp"

namespace bookstamp::http {

namespace json = boost::json;
using boost::asio::awaitable;

inline Env EnvOf(const ApiDeps& d) { return Env{d.clock, d.tz}; }

// The session token of the request: the Authorization bearer token, else the web app's
// HttpOnly cookie (for writes only with the matching X-CSRF-Token header); "" when none.
std::string BearerToken(const Request& req);
// The CSRF header value that goes with a cookie session (given to the app at login).
std::string CsrfToken(const std::string& session_token);
// Set-Cookie value for a web session; Max-Age 0 removes it.
std::string SessionCookie(const std::string& token, std::chrono::seconds max_age);

// The caller, or HttpError UNAUTHENTICATED.
awaitable<Actor> Authenticated(ApiDeps& d, const Request& req);
// A staff caller (FORBIDDEN for a patron).
awaitable<Actor> StaffOnly(ApiDeps& d, const Request& req);
// A patron caller whose account holds `card` (CARD_NOT_FOUND otherwise, so numbers can't be probed).
awaitable<Actor> PatronWithCard(ApiDeps& d, const Request& req, const CardNumber& card);

// Runs `fn` on the slow pool (argon2id) and comes back to the caller's executor.
awaitable<bool> VerifySecretOffThread(ApiDeps& d, std::string hash, std::string secret);
awaitable<std::string> HashSecretOffThread(ApiDeps& d, std::string secret);

// Path parameter as a positive integer id, or 404 NOT_FOUND.
std::int64_t IdParam(const Request& req, const std::string& name);

json::value DateJson(std::optional<Date> d);
json::object ToJson(const LoanView& l, const TimeZone& tz);
json::object ToJson(const HoldView& h, const TimeZone& tz);
json::object ToJson(const CardSummary& c);
json::object ToJson(const Branch& b);
json::object ToJson(const StaffView& s);
json::object ToJson(const BibView& b);
json::object ToJson(const PolicyView& p);
json::value CodeJson(std::optional<ErrorCode> code);
json::object CheckoutJson(const CheckoutResult& r, const TimeZone& tz);

// Registers routes; every write (non-GET) route honours Idempotency-Key.
struct ApiRouter {
  Router& router;
  ApiDeps& deps;
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  // For the logins, whose answer carries a new session token: it is never stored (tokens are kept
  // only as hashes), so the key is not recorded and a retry simply opens another session.
  void AddLogin(std::string method, std::string pattern, Handler handler);
};
Handler WithIdempotency(ApiDeps& d, Handler inner);

// Runs `fn` on `pool` and resumes on the caller's executor; rethrows what it threw.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> OnPool(boost::asio::thread_pool& pool, F fn) {
  auto home = co_await boost::asio::this_coro::executor;
  co_await boost::asio::post(pool.get_executor(), boost::asio::use_awaitable);
  std::optional<std::invoke_result_t<F&>> out;
  std::exception_ptr error;
  try {
    out.emplace(fn());
  } catch (...) {
    error = std::current_exception();
  }
  co_await boost::asio::post(home, boost::asio::use_awaitable);
  if (error) std::rethrow_exception(error);
  co_return std::move(*out);
}

// Route registration per area.
void AddSessionRoutes(ApiRouter& r, ApiDeps& d);
void AddPatronRoutes(ApiRouter& r, ApiDeps& d);
void AddCirculationRoutes(ApiRouter& r, ApiDeps& d);
void AddAdminRoutes(ApiRouter& r, ApiDeps& d);
void AddPassbookRoutes(ApiRouter& r, ApiDeps& d);
void AddSearchRoutes(ApiRouter& r, ApiDeps& d);
void AddTransparencyRoutes(ApiRouter& r, ApiDeps& d);
void AddCardRoutes(ApiRouter& r, ApiDeps& d);
void AddLotteryRoutes(ApiRouter& r, ApiDeps& d);
void AddNoticeRoutes(ApiRouter& r, ApiDeps& d);
void AddReportRoutes(ApiRouter& r, ApiDeps& d);
void AddContentRoutes(ApiRouter& r, ApiDeps& d);

}  // namespace bookstamp::http
