// Pattern matching of routes; see router.hpp.
#include "http/router.hpp"

#include <algorithm>
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

void Router::Add(std::string method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with '/': " + pattern);
  if (!handler) throw std::invalid_argument("route without handler: " + pattern);
  Route route{std::move(method), pattern, {}, std::move(handler)};
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
