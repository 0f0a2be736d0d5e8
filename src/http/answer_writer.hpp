// Internal to http/: sending answers on a connection (security headers, static files, HEAD,
// 304) and the request log line. Apart from server.cpp so the two Beast-heavy halves compile in
// parallel; handlers never include this.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "http/router.hpp"
#include "http/static_files.hpp"

namespace bookstamp::http::detail {

// What one exchange is, for the answer's headers and the log line.
struct Exchange {
  std::string request_id;
  std::string method = "-";
  std::string path = "-";
  std::string remote;
  std::string lang = "zh-TW";
  unsigned version = 11;
  bool head = false;        // answer with headers only
  bool keep_alive = false;  // false: "Connection: close"
  bool api = false;         // under /api: Cache-Control no-store unless the handler set one
  std::string if_none_match;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

// The answer a dispatch produced: a Response, or a file to send.
struct Answer {
  Response response;
  std::optional<StaticTarget> file;
};

// Writes the answer with the common headers (security, X-Request-Id, Connection) and logs the
// exchange. A file that cannot be opened becomes 404 JSON. `answer` is consumed. False when the
// connection failed. The write must finish within `timeout`.
boost::asio::awaitable<bool> SendAnswer(boost::beast::tcp_stream& stream, Answer& answer, const Exchange& x,
                                        std::chrono::seconds timeout);

// "HTTP/1.1 100 Continue". False when the connection failed.
boost::asio::awaitable<bool> SendContinue(boost::beast::tcp_stream& stream, std::chrono::seconds timeout);

// One JSON log line per answered request.
void LogExchange(const Exchange& x, int status, std::size_t bytes);

// `text` as a JSON string literal, for log lines.
std::string Quote(std::string_view text);

}  // namespace bookstamp::http::detail
