// CurlPushTransport: the PushTransport port over libcurl's HTTP client (HTTPS with the system's CA
// store; HTTP/2 when the push service offers it).
// A push endpoint comes from a browser, so it may name any host. Unless `allow_local` is set, the
// transport connects only to public addresses: a name that resolves to loopback, a private network
// or link-local is refused before any connection is made (no request to the library's own network).
// With an outbound proxy in the environment (https_proxy, all_proxy) the proxy decides instead.
#pragma once
#include <sys/socket.h>

#include "notify/push_dispatcher.hpp"

namespace bookstamp::notify {

class CurlPushTransport final : public PushTransport {
 public:
  explicit CurlPushTransport(int timeout_seconds = 30, bool allow_local = false);
  PushResponse Post(const PushRequest& request) override;

 private:
  int timeout_seconds_;
  bool allow_local_;
  bool proxied_;
};

// False for addresses a push must not reach: unspecified, loopback, private (RFC 1918, fc00::/7),
// shared (100.64/10), link-local, multicast, reserved and documentation ranges, and IPv4-mapped
// forms of those. True for everything else of AF_INET/AF_INET6; false for other families.
bool IsPublicAddress(const sockaddr* address);

}  // namespace bookstamp::notify
