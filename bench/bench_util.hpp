// Small helpers shared by the benchmark programs: command-line flags, timing, percentiles, SHA-256,
// a blocking HTTP/1.1 keep-alive client and an incremental response parser. Benchmarks only.
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double MsSince(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

// --key value flags after a positional command.
class Flags {
 public:
  Flags(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
      std::string k = argv[i];
      if (!k.starts_with("--")) throw std::invalid_argument("unexpected argument: " + k);
      k = k.substr(2);
      if (i + 1 < argc && !std::string_view(argv[i + 1]).starts_with("--")) {
        values_[k] = argv[++i];
      } else {
        values_[k] = "1";
      }
    }
  }
  std::string Str(const std::string& k, std::optional<std::string> fallback = std::nullopt) const {
    auto it = values_.find(k);
    if (it != values_.end()) return it->second;
    if (!fallback) throw std::invalid_argument("missing --" + k);
    return *fallback;
  }
  long long Int(const std::string& k, std::optional<long long> fallback = std::nullopt) const {
    auto it = values_.find(k);
    if (it == values_.end()) {
      if (!fallback) throw std::invalid_argument("missing --" + k);
      return *fallback;
    }
    return std::stoll(it->second);
  }
  double Num(const std::string& k, double fallback) const {
    auto it = values_.find(k);
    return it == values_.end() ? fallback : std::stod(it->second);
  }
  bool Has(const std::string& k) const { return values_.contains(k); }

 private:
  std::map<std::string, std::string> values_;
};

struct Percentiles {
  std::size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

// Nearest-rank percentiles of `ms` (sorted in place).
inline Percentiles Summarize(std::vector<double>& ms) {
  Percentiles p;
  p.n = ms.size();
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double q) {
    auto i = static_cast<std::size_t>(q * static_cast<double>(ms.size()) + 0.999999);
    return ms[std::min(ms.size(), std::max<std::size_t>(i, 1)) - 1];
  };
  p.p50 = rank(0.50);
  p.p90 = rank(0.90);
  p.p99 = rank(0.99);
  p.max = ms.back();
  double sum = 0;
  for (double v : ms) sum += v;
  p.mean = sum / static_cast<double>(ms.size());
  return p;
}

inline std::string Sha256Hex(std::string_view data) {
  unsigned char out[32];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (unsigned char c : out) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

// The string value of the first "key":"..." in a JSON text (no unescaping: tokens and codes are plain).
inline std::optional<std::string> JsonStringField(std::string_view json, std::string_view key) {
  std::string needle = fmt::format("\"{}\":\"", key);
  auto at = json.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  at += needle.size();
  auto end = json.find('"', at);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(json.substr(at, end - at));
}

// The integer value of the first "key":N in a JSON text.
inline std::optional<long long> JsonIntField(std::string_view json, std::string_view key) {
  std::string needle = fmt::format("\"{}\":", key);
  auto at = json.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  at += needle.size();
  long long v = 0;
  auto [p, ec] = std::from_chars(json.data() + at, json.data() + json.size(), v);
  if (ec != std::errc()) return std::nullopt;
  return v;
}

struct Url {
  std::string host;
  int port = 80;
};

inline Url ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) throw std::invalid_argument("--url must start with http://");
  url.remove_prefix(kScheme.size());
  if (auto slash = url.find('/'); slash != std::string_view::npos) url = url.substr(0, slash);
  auto colon = url.rfind(':');
  Url u;
  if (colon == std::string_view::npos) {
    u.host = std::string(url);
  } else {
    u.host = std::string(url.substr(0, colon));
    u.port = std::stoi(std::string(url.substr(colon + 1)));
  }
  return u;
}

struct HttpResponse {
  int status = 0;
  std::string body;
  bool close = false;
};

inline bool IEqualsPrefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
      return false;
  return true;
}

// Parses one response at the front of `buf`: bytes consumed, 0 when incomplete. Content-Length only
// (the server never chunks its JSON answers); throws on anything else.
inline std::size_t ParseResponse(std::string_view buf, HttpResponse& out) {
  auto head_end = buf.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return 0;
  std::string_view head = buf.substr(0, head_end);
  if (!head.starts_with("HTTP/1.")) throw std::runtime_error("not an HTTP response");
  auto sp = head.find(' ');
  int status = 0;
  std::from_chars(head.data() + sp + 1, head.data() + head.size(), status);
  std::size_t length = 0;
  bool close = head.starts_with("HTTP/1.0");
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos < head.size()) {
    pos += 2;
    auto next = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (IEqualsPrefix(line, "content-length:")) {
      auto v = line.substr(15);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      std::from_chars(v.data(), v.data() + v.size(), length);
    } else if (IEqualsPrefix(line, "connection:")) {
      auto v = line.substr(11);
      close = v.find("close") != std::string_view::npos;
    } else if (IEqualsPrefix(line, "transfer-encoding:")) {
      throw std::runtime_error("chunked responses are not supported by the bench client");
    }
    pos = next;
  }
  std::size_t total = head_end + 4 + length;
  if (buf.size() < total) return 0;
  out.status = status;
  out.body.assign(buf.substr(head_end + 4, length));
  out.close = close;
  return total;
}

inline std::string FormatRequest(std::string_view method, std::string_view path, const Url& url,
                                 std::string_view token, std::string_view body) {
  std::string r = fmt::format("{} {} HTTP/1.1\r\nHost: {}:{}\r\n", method, path, url.host, url.port);
  if (!token.empty()) r += fmt::format("Authorization: Bearer {}\r\n", token);
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
    r += fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n", body.size());
  r += "\r\n";
  r += body;
  return r;
}

inline int ConnectTcp(const Url& url) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &res); rc != 0)
    throw std::runtime_error(fmt::format("resolve {}: {}", url.host, gai_strerror(rc)));
  int fd = -1;
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) throw std::runtime_error(fmt::format("connect {}:{}: {}", url.host, url.port, std::strerror(errno)));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// One keep-alive connection, one request at a time, blocking.
class HttpClient {
 public:
  explicit HttpClient(Url url) : url_(std::move(url)) {}
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&& o) noexcept : url_(std::move(o.url_)), fd_(std::exchange(o.fd_, -1)), in_(std::move(o.in_)) {}
  ~HttpClient() { Close(); }

  void Connect() {
    if (fd_ < 0) fd_ = ConnectTcp(url_);
  }

  // Sends one request and reads its answer. `retry`: on a connection the server closed meanwhile
  // (keep-alive timeout), reconnect and send once more — for setup steps only, never while measuring.
  HttpResponse Do(std::string_view method, std::string_view path, std::string_view body = {},
                  std::string_view token = {}, bool retry = true) {
    std::string request = FormatRequest(method, path, url_, token, body);
    for (int attempt = 0;; ++attempt) {
      bool fresh = fd_ < 0;
      Connect();
      try {
        return Exchange(request);
      } catch (const std::exception&) {
        Close();
        if (!retry || fresh || attempt > 0) throw;
      }
    }
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    in_.clear();
  }

 private:
  HttpResponse Exchange(const std::string& request) {
    std::size_t sent = 0;
    while (sent < request.size()) {
      ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(fmt::format("send: {}", std::strerror(errno)));
      sent += static_cast<std::size_t>(n);
    }
    HttpResponse r;
    for (;;) {
      if (std::size_t used = ParseResponse(in_, r)) {
        in_.erase(0, used);
        if (r.close) Close();
        return r;
      }
      char buf[16384];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(n == 0 ? "connection closed by the server" : std::strerror(errno));
      in_.append(buf, static_cast<std::size_t>(n));
    }
  }

  Url url_;
  int fd_ = -1;
  std::string in_;
};

}  // namespace bench
