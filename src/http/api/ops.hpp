// Operations: what the composition root hands the ops routes (GET /metrics, POST /admin/backup) and
// a Store decorator that counts and times store jobs for /metrics. docs/operations.md lists the metrics.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/ports/store.hpp"
#include "http/api/api.hpp"
#include "http/router.hpp"

namespace bookstamp::http {

struct BackupFile {
  std::string name;  // file name inside the data directory's backups/
  std::uint64_t bytes = 0;
};

struct OpsHooks {
  // GET /metrics is answered to loopback callers without X-Forwarded-For/Forwarded (when
  // allow_loopback) and to callers sending "Authorization: Bearer <metrics_token>" (when not
  // empty); others get 401.
  std::string metrics_token;
  bool allow_loopback = true;
  std::string version;  // bookstamp_build_info
  // Appends engine-specific lines (e.g. SQLite groups committed) in the exposition format.
  std::function<void(std::string& out)> store_metrics;
  // Writes a verified backup into DATA/backups/; blocking; throws on failure. Unset: 503.
  std::function<BackupFile()> backup;
};

// The GET /metrics handler (ServerOptions::metrics): access check by d.ops, then the exposition
// text: build info, `http_metrics` (the Router's), d.ops->store_metrics, outbox and sessions.
// 503 when d.ops is null.
Handler MetricsHandler(ApiDeps& d, std::shared_ptr<RequestMetrics> http_metrics);

// Forwards every job to `inner` and counts it: jobs submitted and finished (so those queued or
// running), failures, and the time from submit to Done (for writes: until the group commit is
// durable). Lock-free: relaxed atomics. Thread-safe as the inner store is.
class MeteredStore final : public Store {
 public:
  static constexpr std::array<double, 10> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                   0.025,  0.05,  0.1,    0.5,   2.0};
  explicit MeteredStore(Store& inner) : inner_(inner) {}
  void SubmitWrite(WriteJob job, Done done) override;
  void SubmitRead(ReadJob job, Done done) override;
  void Close() override { inner_.Close(); }
  // bookstamp_store_jobs_total, _failed_total, _in_flight, bookstamp_store_job_seconds (histogram).
  void AppendText(std::string& out) const;

 private:
  struct Counters {
    std::atomic<std::uint64_t> submitted{0}, finished{0}, failed{0}, sum_ns{0};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    void Finish(std::chrono::steady_clock::time_point start, bool ok);
  };
  Store& inner_;
  Counters writes_, reads_;
};

}  // namespace bookstamp::http
