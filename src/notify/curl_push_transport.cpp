// libcurl HTTP POST: one request per push, the answer's body read and dropped.
#include "notify/curl_push_transport.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace bookstamp::notify {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::size_t Discard(char*, std::size_t size, std::size_t nmemb, void*) { return size * nmemb; }

bool PublicV4(std::uint32_t a) {  // host byte order
  const auto in = [a](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  return !(in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
           in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0000000, 24) || in(0xC0000200, 24) ||
           in(0xC0A80000, 16) || in(0xC6120000, 15) || in(0xC6336400, 24) || in(0xCB007100, 24) ||
           in(0xE0000000, 4) || in(0xF0000000, 4));
}

struct SocketGuard {
  bool check = false;
  bool refused = false;
};

// Called for each address curl is about to connect to; CURL_SOCKET_BAD makes it skip the address.
curl_socket_t OpenSocket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(clientp);
  if (guard->check && purpose == CURLSOCKTYPE_IPCXN && !IsPublicAddress(&address->addr)) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

bool ProxyInEnvironment() {
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"}) {
    if (const char* v = std::getenv(name); v && *v) return true;
  }
  return false;
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    return PublicV4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  }
  if (address->sa_family != AF_INET6) return false;
  const auto& b = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr.s6_addr;
  static constexpr std::array<std::uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(b, kMapped.data(), kMapped.size()) == 0) {
    return PublicV4(std::uint32_t{b[12]} << 24 | std::uint32_t{b[13]} << 16 | std::uint32_t{b[14]} << 8 | b[15]);
  }
  static constexpr std::array<std::uint8_t, 15> kZeros{};
  if (std::memcmp(b, kZeros.data(), kZeros.size()) == 0 && b[15] <= 1) return false;  // :: and ::1
  if ((b[0] & 0xFE) == 0xFC) return false;                                             // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false;                             // fe80::/10
  if (b[0] == 0xFF) return false;                                                      // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false;      // 2001:db8::/32
  return true;
}

CurlPushTransport::CurlPushTransport(int timeout_seconds, bool allow_local)
    : timeout_seconds_(timeout_seconds), allow_local_(allow_local), proxied_(ProxyInEnvironment()) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

PushResponse CurlPushTransport::Post(const PushRequest& request) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {0, "curl_easy_init failed"};
  // No "Expect: 100-continue" round trip.
  std::unique_ptr<curl_slist, SlistDeleter> headers(curl_slist_append(nullptr, "Expect:"));
  for (const auto& [name, value] : request.headers) {
    auto line = fmt::format("{}: {}", name, value);
    // On failure curl_slist_append returns NULL and leaves the list as it was.
    auto* longer = headers ? curl_slist_append(headers.get(), line.c_str()) : nullptr;
    if (!longer) return {0, "out of memory"};
  }
  CURL* c = curl.get();
  SocketGuard guard{.check = !allow_local_ && !proxied_};
  curl_easy_setopt(c, CURLOPT_URL, request.endpoint.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds_));
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    PushResponse out{0, fmt::format("{}{}{}", curl_easy_strerror(rc), error[0] ? ": " : "", error)};
    if (guard.refused) {
      out.refused_address = true;
      out.error = "the endpoint's host resolves to a local or private address: refused";
    }
    return out;
  }
  PushResponse out;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  // curl reads both forms of Retry-After (seconds, or an HTTP date) as seconds from now.
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
    out.retry_after = std::chrono::seconds(retry_after);
  }
  return out;
}

}  // namespace bookstamp::notify
