// CurlPushTransport: the PushTransport port over libcurl's HTTP client (HTTPS with the system's CA
// store; HTTP/2 when the push service offers it).
#pragma once
#include "notify/push_dispatcher.hpp"

namespace bookstamp::notify {

class CurlPushTransport final : public PushTransport {
 public:
  explicit CurlPushTransport(int timeout_seconds = 30);
  PushResponse Post(const PushRequest& request) override;

 private:
  int timeout_seconds_;
};

}  // namespace bookstamp::notify
