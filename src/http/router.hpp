// What a route handler sees and answers (Request, Response) and the Router that maps
// "METHOD /path/{capture}" patterns to handlers. No Beast here: handlers only need this header.
// Usage:
//   Router r;
//   r.Add("GET", "/api/v1/cards/{card}/loans", [&](Request& req) -> asio::awaitable<Response> {
//     co_return JsonResponse(200, ...req.params.at("card")...);
//   });
#pragma once
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstamp::http {

struct Request {
  std::string method;                         // "GET", "POST", ... (as sent; HEAD for HEAD)
  std::string path;                           // percent-decoded path, no query
  std::map<std::string, std::string> query;   // decoded ('%xx' and '+'); the first of repeated keys wins
  std::map<std::string, std::string> params;  // route captures, each segment decoded on its own
  std::string body;
  std::string remote_ip;
  std::string lang;        // "zh-TW" (default) or "en", chosen from Accept-Language
  std::string request_id;  // also sent back as X-Request-Id and logged
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header of that name (case-insensitive), "" when absent.
  std::string Header(std::string_view name) const;
  // The query parameter, "" when absent.
  std::string Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Extra headers (Set-Cookie, Cache-Control, Location, ...). A Cache-Control here replaces the
  // default "no-store" of /api answers.
  std::vector<std::pair<std::string, std::string>> headers;
};

// A handler may throw HttpError (errors.hpp) for a refusal; StoreUnavailable answers 503; any other
// exception is a bug: logged with the request id and answered 500 INTERNAL.
using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

class Router {
 public:
  // Registers `handler` for `method` and `pattern`: segments separated by '/', a segment "{name}"
  // captures one non-empty path segment into Request::params["name"]; other segments match exactly.
  // A GET route also answers HEAD (the body is dropped). Literal segments win over captures when
  // two patterns match the same path.
  // Throws std::invalid_argument for a malformed pattern or a duplicate (method, pattern).
  // REQUIRES: all Add calls happen before the Server starts (lookups are not synchronized with Add).
  void Add(std::string method, std::string pattern, Handler handler);

  enum class Outcome { kFound, kMethodNotAllowed, kNotFound };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Handler* handler = nullptr;            // set when kFound
    std::map<std::string, std::string> params;   // set when kFound
    std::vector<std::string> allow;              // set when kMethodNotAllowed: sorted methods
  };
  // Looks up a raw (still percent-encoded) path without query. A segment that is not valid
  // percent-encoding matches nothing.
  Match Find(std::string_view method, std::string_view raw_path) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the capture name
    bool capture = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace bookstamp::http
