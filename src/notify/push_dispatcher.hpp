// Web Push delivery (docs/operations.md "Web Push"): one send per notice and browser subscription,
// claimed with a lease like the mail dispatcher's (notify/dispatcher.hpp), POSTed to the push service
// with RFC 8291 encryption and RFC 8292 VAPID, each attempt recorded. 404/410 removes the
// subscription; 429, 5xx and network trouble retry with backoff; other answers fail for good.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "notify/webpush.hpp"

namespace bookstamp::notify {

// One HTTP POST to a push service.
struct PushRequest {
  std::string endpoint;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct PushResponse {
  long status = 0;    // the HTTP status; 0 when no answer came (connection, TLS, timeout)
  std::string error;  // the transport's word when status is 0
  // The service's Retry-After (429, 503): the next attempt waits at least this long.
  std::optional<std::chrono::seconds> retry_after;
  // The endpoint's host resolved only to addresses a push may not go to (loopback, private,
  // link-local…): refused without connecting, and not retried.
  bool refused_address = false;
};

// The push service port: CurlPushTransport is the real one; tests use a fake.
class PushTransport {
 public:
  virtual ~PushTransport() = default;
  // Never throws for a delivery failure. Thread-safety: one call at a time per transport.
  virtual PushResponse Post(const PushRequest& request) = 0;
};

enum class PushOutcome {
  kDelivered,  // 200, 201, 202
  kGone,       // 404, 410: the subscription is no more
  kRetry,      // no answer, 408, 429, 5xx
  kRejected,   // any other answer: retrying the same request cannot help
};
PushOutcome ClassifyPushStatus(long status);

// "https://push.example.net" for "https://push.example.net:443/wpush/abc" (the VAPID audience:
// scheme, host and a non-default port). nullopt for a URL without scheme or host.
std::optional<std::string> PushOrigin(const std::string& endpoint);

// The server's VAPID key from the database, made and stored on the first call (never in a file of
// the repository). Safe when several servers start at once: all get the stored one.
P256KeyPair EnsureVapidKey(Store& store, const Clock& clock, const TimeZone& tz);

struct PushOptions {
  std::string subject = "mailto:library@localhost";  // RFC 8292 "sub": the operator's contact
  std::string base_url;                              // prefixes the payload's url ("" = relative)
  std::chrono::seconds ttl = std::chrono::hours(24);  // how long the push service may hold it
  std::chrono::milliseconds retry_base = std::chrono::seconds(30);
  std::chrono::milliseconds retry_max = std::chrono::hours(1);
  std::chrono::milliseconds lease = std::chrono::minutes(5);  // > the transport's whole timeout
  int max_attempts = 10;
  int batch = 20;
};

class PushDispatcher {
 public:
  PushDispatcher(Store& store, const Clock& clock, PushTransport& transport, P256KeyPair vapid_key,
                 PushOptions options);

  // One pass: claims up to `batch` due sends, posts them, records the results. Returns how many the
  // push services accepted. Throws when the database fails. Not thread-safe; several dispatchers
  // may share one database (leases keep them apart).
  int RunOnce();

 private:
  Store& store_;
  const Clock& clock_;
  PushTransport& transport_;
  P256KeyPair vapid_key_;
  PushOptions options_;
};

// The page of the app a notice's push opens.
std::string NoticeUrl(const std::string& kind);

// The push message, before encryption: {"title","body","url","notice_id","tag"} in the patron's
// language (app/notice_text.hpp), small enough for one 4096-byte record.
std::string PushPayload(std::int64_t notice_id, const std::string& kind, const std::string& payload_json,
                        const std::string& lang, const std::string& base_url);

}  // namespace bookstamp::notify
