// Sending answers; see answer_writer.hpp.
#include "http/answer_writer.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/errors.hpp"
#include "http/url.hpp"

namespace bookstamp::http::detail {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

// For a Vite-built Preact PWA: scripts, styles, workers and the manifest from this origin;
// inline styles (Preact style props); images also from data: and blob: (barcodes, camera frames);
// WebAssembly (zxing-wasm) needs 'wasm-unsafe-eval'.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

template <class Message>
void SetCommonHeaders(Message& res, const Exchange& x) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  res.set("Content-Security-Policy", kContentSecurityPolicy);
  res.set("X-Request-Id", x.request_id);
  res.keep_alive(x.keep_alive);
}

bool SafeHeader(std::string_view name, std::string_view value) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad) && std::none_of(value.begin(), value.end(), bad);
}

std::string Etag(const std::filesystem::path& file, std::uint64_t size) {
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(file, ec);
  auto ticks = ec ? 0 : mtime.time_since_epoch().count();
  return fmt::format("W/\"{:x}-{:x}\"", size, static_cast<std::uint64_t>(ticks));
}

std::optional<bhttp::file_body::value_type> OpenFile(const std::filesystem::path& path) {
  beast::error_code ec;
  bhttp::file_body::value_type body;
  body.open(path.c_str(), beast::file_mode::scan, ec);
  if (ec) return std::nullopt;
  return body;
}

template <class Body>
bhttp::response<Body> FileHeaders(bhttp::status status, const StaticTarget& file, const std::string& etag,
                                  const Exchange& x) {
  bhttp::response<Body> res{status, x.version};
  res.set(bhttp::field::etag, etag);
  res.set(bhttp::field::cache_control, file.cache_control);
  SetCommonHeaders(res, x);
  return res;
}

// The string answer of a Response; `bytes` is the body size sent.
bhttp::response<bhttp::string_body> BuildResponse(Response& r, const Exchange& x, std::size_t& bytes) {
  if (r.status < 100 || r.status > 599) {
    spdlog::error(R"({{"event":"handler_bug","id":{},"what":"status {} out of range"}})", Quote(x.request_id), r.status);
    r = InternalErrorResponse(x.request_id, x.lang);
  }
  bhttp::response<bhttp::string_body> res;
  res.version(x.version);
  res.result(static_cast<unsigned>(r.status));
  bool bodiless = r.status == 204 || r.status == 304 || r.status < 200;
  if (!r.content_type.empty() && !bodiless) res.set(bhttp::field::content_type, r.content_type);
  bool has_cache_control = false;
  for (const auto& [name, value] : r.headers) {
    if (!SafeHeader(name, value)) {
      spdlog::warn(R"({{"event":"unsafe_header_dropped","id":{},"name":{}}})", Quote(x.request_id), Quote(name));
      continue;
    }
    has_cache_control = has_cache_control || IEquals(name, "Cache-Control");
    res.insert(name, value);
  }
  if (x.api && !has_cache_control) res.set(bhttp::field::cache_control, "no-store");
  SetCommonHeaders(res, x);
  bytes = 0;
  if (bodiless) {
    res.erase(bhttp::field::content_length);
  } else if (x.head) {
    res.content_length(r.body.size());
  } else {
    bytes = r.body.size();
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  return res;
}

template <class Message>
asio::awaitable<error_code> WriteMessage(beast::tcp_stream& stream, Message& message, std::chrono::seconds timeout) {
  error_code ec;
  stream.expires_after(timeout);
  co_await bhttp::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
  stream.expires_never();
  co_return ec;
}

asio::awaitable<bool> SendFile(beast::tcp_stream& stream, bhttp::file_body::value_type body, const StaticTarget& file,
                               const Exchange& x, std::chrono::seconds timeout) {
  std::uint64_t size = body.size();
  std::string etag = Etag(file.file, size);
  error_code file_error;
  int status = 200;
  std::size_t bytes = 0;
  if (!x.if_none_match.empty() && (x.if_none_match.find(etag) != std::string::npos || x.if_none_match == "*")) {
    status = 304;
    auto not_modified = FileHeaders<bhttp::empty_body>(bhttp::status::not_modified, file, etag, x);
    file_error = co_await WriteMessage(stream, not_modified, timeout);
  } else if (x.head) {
    auto head_only = FileHeaders<bhttp::empty_body>(bhttp::status::ok, file, etag, x);
    head_only.set(bhttp::field::content_type, file.content_type);
    head_only.content_length(size);
    file_error = co_await WriteMessage(stream, head_only, timeout);
  } else {
    auto full = FileHeaders<bhttp::file_body>(bhttp::status::ok, file, etag, x);
    full.set(bhttp::field::content_type, file.content_type);
    full.body() = std::move(body);
    full.prepare_payload();
    bytes = size;
    file_error = co_await WriteMessage(stream, full, timeout);
  }
  LogExchange(x, status, file_error ? 0 : bytes);
  co_return !file_error;
}
}  // namespace

std::string Quote(std::string_view text) { return boost::json::serialize(boost::json::string(text)); }

void LogExchange(const Exchange& x, int status, std::size_t bytes) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - x.start);
  spdlog::info(R"({{"event":"http","id":{},"method":{},"path":{},"status":{},"duration_ms":{:.3f},"bytes":{},"remote":{}}})",
               Quote(x.request_id), Quote(x.method), Quote(x.path), status,
               static_cast<double>(micros.count()) / 1000.0, bytes, Quote(x.remote));
}

// Locals keep distinct names and messages are built in plain functions: g++ 12 coroutines have
// mishandled temporaries and same-named locals across nested scopes.
asio::awaitable<bool> SendAnswer(beast::tcp_stream& stream, Answer& answer, const Exchange& x,
                                 std::chrono::seconds timeout) {
  std::optional<bhttp::file_body::value_type> file_body;
  if (answer.file) {
    file_body = OpenFile(answer.file->file);
    if (!file_body) answer = Answer{ErrorResponse(ErrorCode::kNotFound, x.lang), std::nullopt};  // vanished
  }
  if (file_body) {
    bool file_sent = co_await SendFile(stream, std::move(*file_body), *answer.file, x, timeout);
    co_return file_sent;
  }
  std::size_t bytes = 0;
  bhttp::response<bhttp::string_body> message = BuildResponse(answer.response, x, bytes);
  error_code write_error = co_await WriteMessage(stream, message, timeout);
  LogExchange(x, answer.response.status, write_error ? 0 : bytes);
  co_return !write_error;
}

asio::awaitable<bool> SendContinue(beast::tcp_stream& stream, std::chrono::seconds timeout) {
  bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
  error_code continue_error = co_await WriteMessage(stream, go_on, timeout);
  co_return !continue_error;
}

}  // namespace bookstamp::http::detail
