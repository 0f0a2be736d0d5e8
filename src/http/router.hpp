// What a route handler sees and answers (Request, Response) and the Router that maps
// "METHOD /path/{capture}" patterns to handlers. No Beast here: handlers only need this header.
// Usage:
//   Router r;
//   r.Add("GET", "/api/v1/cards/{card}/loans", [&](Request& req) -> asio::awaitable<Response> {
//     co_return JsonResponse(200, ...req.params.at("card")...);
//   });
#pragma once
#include <array>
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
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

// Request counts and durations per route for GET /metrics (Prometheus text format 0.0.4). Slots are
// made while routes are added (before serving); Record only touches relaxed atomics, no lock.
// Thread-safe after the last AddSlot.
class RequestMetrics {
 public:
  // Histogram upper bounds, seconds.
  static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5,   10.0};
  static constexpr std::size_t kStaticSlot = 0;     // web app files and the SPA fallback
  static constexpr std::size_t kUnmatchedSlot = 1;  // no route: 404, 405, refused before routing

  RequestMetrics();
  // REQUIRES: before the server starts.
  std::size_t AddSlot(std::string method, std::string route);
  void Record(std::size_t slot, int status, std::chrono::steady_clock::duration took);
  // Appends bookstamp_http_requests_total and bookstamp_http_request_duration_seconds (slots with
  // at least one request) to `out`.
  void AppendText(std::string& out) const;

 private:
  struct Slot {
    std::string method, route;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx .. 5xx
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf only
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::deque<Slot> slots_;  // stable addresses; appended only before serving
};

// Per-route settings.
struct RouteOptions {
  std::size_t body_limit = 0;  // largest request body; 0: the server's body_limit
};

class Router {
 public:
  Router();

  // Registers `handler` for `method` and `pattern`: segments separated by '/', a segment "{name}"
  // captures one non-empty path segment into Request::params["name"]; other segments match exactly.
  // A GET route also answers HEAD (the body is dropped). Literal segments win over captures when
  // two patterns match the same path.
  // Throws std::invalid_argument for a malformed pattern or a duplicate (method, pattern).
  // REQUIRES: all Add calls happen before the Server starts (lookups are not synchronized with Add).
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  enum class Outcome { kFound, kMethodNotAllowed, kNotFound };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Handler* handler = nullptr;            // set when kFound
    std::map<std::string, std::string> params;   // set when kFound
    std::vector<std::string> allow;              // set when kMethodNotAllowed: sorted methods
    std::size_t body_limit = 0;                  // the route's RouteOptions::body_limit
    std::size_t metrics_slot = RequestMetrics::kUnmatchedSlot;
  };
  // Looks up a raw (still percent-encoded) path without query. A segment that is not valid
  // percent-encoding matches nothing.
  Match Find(std::string_view method, std::string_view raw_path) const;

  // The largest body_limit of any route (0 when none set one).
  std::size_t MaxBodyLimit() const { return max_body_limit_; }
  // Shared with whoever renders /metrics; stays valid after the Router is moved into a Server.
  const std::shared_ptr<RequestMetrics>& metrics() const { return metrics_; }

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
    RouteOptions options;
    std::size_t metrics_slot = 0;
  };
  std::vector<Route> routes_;
  std::size_t max_body_limit_ = 0;
  std::shared_ptr<RequestMetrics> metrics_;
};

}  // namespace bookstamp::http
