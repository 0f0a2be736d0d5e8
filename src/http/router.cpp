// Pattern matching of routes; see router.hpp.
#include "http/router.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "http/url.hpp"

namespace bookstamp::http {

std::string Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (IEquals(k, name)) return v;
  return {};
}

std::string Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string{} : it->second;
}

RequestMetrics::RequestMetrics() {
  AddSlot("GET", "(static)");
  AddSlot("ANY", "(unmatched)");
}

std::size_t RequestMetrics::AddSlot(std::string method, std::string route) {
  auto& slot = slots_.emplace_back();
  slot.method = std::move(method);
  slot.route = std::move(route);
  return slots_.size() - 1;
}

void RequestMetrics::Record(std::size_t index, int status, std::chrono::steady_clock::duration took) {
  if (index >= slots_.size()) index = kUnmatchedSlot;
  Slot& slot = slots_[index];
  int status_class = std::clamp(status / 100, 1, 5);
  slot.by_class[status_class - 1].fetch_add(1, std::memory_order_relaxed);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(took).count();
  if (ns < 0) ns = 0;
  double seconds = static_cast<double>(ns) / 1e9;
  std::size_t bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
  slot.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  slot.sum_ns.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

namespace {
// A label value: backslash, double quote and newline escaped (exposition format 0.0.4).
std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void RequestMetrics::AppendText(std::string& out) const {
  static constexpr const char* kClass[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  out += "# HELP bookstamp_http_requests_total HTTP requests answered, by method, route pattern and status class.\n";
  out += "# TYPE bookstamp_http_requests_total counter\n";
  for (const auto& slot : slots_)
    for (std::size_t c = 0; c < slot.by_class.size(); ++c)
      if (auto n = slot.by_class[c].load(std::memory_order_relaxed))
        out += fmt::format("bookstamp_http_requests_total{{method=\"{}\",route=\"{}\",code=\"{}\"}} {}\n",
                           LabelValue(slot.method), LabelValue(slot.route), kClass[c], n);
  out += "# HELP bookstamp_http_request_duration_seconds Time from a request's first byte to its answer ready to send.\n";
  out += "# TYPE bookstamp_http_request_duration_seconds histogram\n";
  for (const auto& slot : slots_) {
    std::uint64_t total = 0;
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};
    for (std::size_t i = 0; i < counts.size(); ++i) total += counts[i] = slot.buckets[i].load(std::memory_order_relaxed);
    if (total == 0) continue;
    std::string labels = fmt::format("method=\"{}\",route=\"{}\"", LabelValue(slot.method), LabelValue(slot.route));
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += counts[i];
      out += fmt::format("bookstamp_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels, kBuckets[i],
                         cumulative);
    }
    out += fmt::format("bookstamp_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, total);
    out += fmt::format("bookstamp_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                       static_cast<double>(slot.sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += fmt::format("bookstamp_http_request_duration_seconds_count{{{}}} {}\n", labels, total);
  }
}

Router::Router() : metrics_(std::make_shared<RequestMetrics>()) {}

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with '/': " + pattern);
  if (!handler) throw std::invalid_argument("route without handler: " + pattern);
  Route route{std::move(method), pattern, {}, std::move(handler), options, 0};
  for (std::string_view seg : SplitPath(pattern)) {
    bool open = seg.find('{') != std::string_view::npos, close = seg.find('}') != std::string_view::npos;
    if (seg.size() >= 3 && seg.front() == '{' && seg.back() == '}' && seg.find('{', 1) == std::string_view::npos &&
        seg.find('}') == seg.size() - 1) {
      route.segments.push_back({std::string(seg.substr(1, seg.size() - 2)), true});
    } else if (open || close) {
      throw std::invalid_argument("a capture must be a whole segment: " + pattern);
    } else {
      route.segments.push_back({std::string(seg), false});
    }
  }
  for (const auto& r : routes_)
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::invalid_argument("duplicate route: " + route.method + " " + pattern);
  route.metrics_slot = metrics_->AddSlot(route.method, route.pattern);
  max_body_limit_ = std::max(max_body_limit_, options.body_limit);
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view raw_path) const {
  Match result;
  if (raw_path.empty() || raw_path.front() != '/') return result;
  std::vector<std::string> segments;
  for (std::string_view raw : SplitPath(raw_path)) {
    auto decoded = PercentDecode(raw);
    if (!decoded) return result;
    segments.push_back(std::move(*decoded));
  }

  // Of the routes whose pattern matches, the most specific wins: at the first segment where two
  // patterns differ, a literal beats a capture.
  auto more_specific = [](const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size(); ++i)
      if (a.segments[i].capture != b.segments[i].capture) return !a.segments[i].capture;
    return false;
  };
  const Route* best = nullptr;
  const Route* get_fallback = nullptr;  // HEAD is answered by GET routes
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      const auto& seg = route.segments[i];
      matches = seg.capture ? !segments[i].empty() : seg.text == segments[i];
    }
    if (!matches) continue;
    if (route.method == method) {
      if (!best || more_specific(route, *best)) best = &route;
    } else if (method == "HEAD" && route.method == "GET") {
      if (!get_fallback || more_specific(route, *get_fallback)) get_fallback = &route;
    }
    if (std::find(result.allow.begin(), result.allow.end(), route.method) == result.allow.end())
      result.allow.push_back(route.method);
    if (route.method == "GET" && std::find(result.allow.begin(), result.allow.end(), "HEAD") == result.allow.end())
      result.allow.push_back("HEAD");
  }
  if (!best) best = get_fallback;
  if (best) {
    result.outcome = Outcome::kFound;
    result.handler = &best->handler;
    result.body_limit = best->options.body_limit;
    result.metrics_slot = best->metrics_slot;
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (best->segments[i].capture) result.params[best->segments[i].text] = std::move(segments[i]);
    result.allow.clear();
    return result;
  }
  if (!result.allow.empty()) {
    result.outcome = Outcome::kMethodNotAllowed;
    std::sort(result.allow.begin(), result.allow.end());
  }
  return result;
}

}  // namespace bookstamp::http
