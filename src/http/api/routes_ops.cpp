// Operations routes: prize pictures (PUT/GET/DELETE /api/v1/prizes/{id}/picture), GET /metrics
// (Prometheus text format 0.0.4) and POST /api/v1/admin/backup. docs/operations.md, docs/openapi.yaml.
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <span>

#include "app/audit.hpp"
#include "app/crypto.hpp"
#include "app/pictures.hpp"
#include "http/api/common.hpp"
#include "http/api/ops.hpp"

namespace bookstamp::http {
namespace {

void AppendHistogram(std::string& out, std::string_view name, std::string_view labels,
                     std::span<const double> bounds, std::span<const std::atomic<std::uint64_t>> buckets,
                     std::uint64_t sum_ns) {
  std::uint64_t cumulative = 0, total = 0;
  for (const auto& b : buckets) total += b.load(std::memory_order_relaxed);
  std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += buckets[i].load(std::memory_order_relaxed);
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, bounds[i], cumulative);
  }
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, total);
  out += fmt::format("{}_sum{{{}}} {}\n", name, labels, static_cast<double>(sum_ns) / 1e9);
  out += fmt::format("{}_count{{{}}} {}\n", name, labels, total);
}

bool IsLoopback(std::string_view ip) { return ip.starts_with("127.") || ip == "::1"; }

// What the database says about the outbox and sessions, read in one snapshot.
struct DbGauges {
  struct Channel {
    std::string channel;
    std::int64_t pending = 0;
    std::int64_t oldest_ms = 0;  // created_at of the oldest undelivered notice
  };
  std::vector<Channel> outbox;
  std::int64_t staff_sessions = 0, patron_sessions = 0;
};

DbGauges ReadDbGauges(SqlTx& tx, Instant now) {
  DbGauges g;
  for (const auto& r : tx.Query(
           "SELECT d.channel, COUNT(*), MIN(n.created_at) FROM deliveries d JOIN notices n ON n.id = d.notice_id "
           "WHERE d.status IN ('pending', 'sending') GROUP BY d.channel ORDER BY d.channel"))
    g.outbox.push_back({r.Text(0), r.Int(1), r.Int(2)});
  auto s = tx.QueryOne(
      "SELECT COUNT(staff_id), COUNT(account_id) FROM sessions WHERE expires_at > ?", {ToMillis(now)});
  g.staff_sessions = s->Int(0);
  g.patron_sessions = s->Int(1);
  return g;
}

json::object PictureJson(const PrizePicture& p) {
  return {{"prize_id", p.prize.value()}, {"url", p.url},     {"content_type", p.content_type},
          {"width", p.width},            {"height", p.height}, {"bytes", p.size},
          {"sha256", p.sha256}};
}

void AddPictureUpload(ApiRouter& r, ApiDeps& d) {
  // The bytes are checked again by InspectPicture; the route's body limit only stops reading early.
  r.Add("PUT", "/api/v1/prizes/{id}/picture", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    PrizeId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    std::string type = req.Header("Content-Type");
    auto p = OrThrow(co_await Write(d.store, [&](SqlTx& tx) {
      return PutPrizePicture(tx, env, actor, id, type, req.body);
    }));
    co_return JsonResponse(200, json::object{{"picture", PictureJson(p)}});
  }, RouteOptions{.body_limit = kMaxPictureBytes});
}

}  // namespace

void MeteredStore::Counters::Finish(std::chrono::steady_clock::time_point start, bool ok) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
  double seconds = static_cast<double>(ns) / 1e9;
  auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
  buckets[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  sum_ns.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0)), std::memory_order_relaxed);
  if (!ok) failed.fetch_add(1, std::memory_order_relaxed);
  finished.fetch_add(1, std::memory_order_relaxed);
}

void MeteredStore::SubmitWrite(WriteJob job, Done done) {
  writes_.submitted.fetch_add(1, std::memory_order_relaxed);
  inner_.SubmitWrite(std::move(job), [this, start = std::chrono::steady_clock::now(), done = std::move(done)](
                                         std::exception_ptr error) {
    writes_.Finish(start, !error);
    done(error);
  });
}

void MeteredStore::SubmitRead(ReadJob job, Done done) {
  reads_.submitted.fetch_add(1, std::memory_order_relaxed);
  inner_.SubmitRead(std::move(job), [this, start = std::chrono::steady_clock::now(), done = std::move(done)](
                                        std::exception_ptr error) {
    reads_.Finish(start, !error);
    done(error);
  });
}

void MeteredStore::AppendText(std::string& out) const {
  struct Kind {
    const char* name;
    const Counters& c;
  };
  const Kind kinds[] = {{"write", writes_}, {"read", reads_}};
  out += "# HELP bookstamp_store_jobs_total Store jobs submitted (write: to the single writer; read: to the reader pool).\n";
  out += "# TYPE bookstamp_store_jobs_total counter\n";
  for (const auto& k : kinds)
    out += fmt::format("bookstamp_store_jobs_total{{kind=\"{}\"}} {}\n", k.name, k.c.submitted.load());
  out += "# HELP bookstamp_store_jobs_failed_total Store jobs that ended with an error (refusal by exception, busy, I/O).\n";
  out += "# TYPE bookstamp_store_jobs_failed_total counter\n";
  for (const auto& k : kinds)
    out += fmt::format("bookstamp_store_jobs_failed_total{{kind=\"{}\"}} {}\n", k.name, k.c.failed.load());
  out += "# HELP bookstamp_store_queue_depth Store jobs submitted and not yet done (queued or running).\n";
  out += "# TYPE bookstamp_store_queue_depth gauge\n";
  for (const auto& k : kinds) {
    // finished first: a job finishing between the loads cannot make the gauge negative.
    auto finished = k.c.finished.load();
    auto submitted = k.c.submitted.load();
    out += fmt::format("bookstamp_store_queue_depth{{kind=\"{}\"}} {}\n", k.name,
                       submitted > finished ? submitted - finished : 0);
  }
  out += "# HELP bookstamp_store_job_seconds Time from submit to done (writes: until their group commit is durable).\n";
  out += "# TYPE bookstamp_store_job_seconds histogram\n";
  for (const auto& k : kinds)
    AppendHistogram(out, "bookstamp_store_job_seconds", fmt::format("kind=\"{}\"", k.name), kBuckets, k.c.buckets,
                    k.c.sum_ns.load());
}

void AddOpsRoutes(ApiRouter& r, ApiDeps& d) {
  // ---- prize pictures (PRODUCT.md A1) ----
  AddPictureUpload(r, d);

  r.Add("GET", "/api/v1/prizes/{id}/picture", [&d](Request& req) -> awaitable<Response> {
    PrizeId id(IdParam(req, "id"));
    auto picture = co_await Read(d.store, [&](SqlTx& tx) { return LoadPrizePicture(tx, id); });
    if (!picture) throw HttpError{ErrorCode::kNotFound};
    std::string etag = "\"" + picture->sha256 + "\"";
    // The prize's image_url carries ?v=<hash>: that URL never changes content, so caches keep it.
    std::string version = req.Query("v");
    bool pinned = !version.empty() && picture->sha256.starts_with(version) && version.size() >= 16;
    std::string cache = pinned ? "public, max-age=31536000, immutable" : "public, no-cache";
    std::string if_none_match = req.Header("If-None-Match");
    Response res;
    if (!if_none_match.empty() && (if_none_match.find(etag) != std::string::npos || if_none_match == "*")) {
      res.status = 304;
    } else {
      res.content_type = picture->content_type;
      res.body = std::move(picture->bytes);
    }
    res.headers.emplace_back("ETag", etag);
    res.headers.emplace_back("Cache-Control", cache);
    co_return res;
  });

  r.Add("DELETE", "/api/v1/prizes/{id}/picture", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    PrizeId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return DeletePrizePicture(tx, env, actor, id); }));
    co_return NoContent();
  });

  // ---- online backup (sysadmin) ----
  // One backup at a time, on its own thread: it reads the whole database.
  auto backup_pool = std::make_shared<boost::asio::thread_pool>(1);
  r.Add("POST", "/api/v1/admin/backup", [&d, backup_pool](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    if (actor.role != Role::kSysadmin) throw HttpError{ErrorCode::kForbidden};
    if (!d.ops || !d.ops->backup) throw HttpError{ErrorCode::kUnavailable};
    auto started = d.clock.Now();
    BackupFile file = co_await OnPool(*backup_pool, [&] { return d.ops->backup(); });
    auto env = EnvOf(d);
    co_await Write(d.store, [&](SqlTx& tx) {
      AppendAudit(tx, env.Now(), env.tz,
                  {actor.label, "system.backup", "backup:" + file.name,
                   {{"bytes", static_cast<std::int64_t>(file.bytes)}, {"started_at", env.tz.Rfc3339(started)}}});
    });
    co_return JsonResponse(201, json::object{{"backup", json::object{{"file", file.name},
                                                                     {"bytes", file.bytes},
                                                                     {"started_at", d.tz.Rfc3339(started)},
                                                                     {"verified", true}}}});
  });

}

Handler MetricsHandler(ApiDeps& d, std::shared_ptr<RequestMetrics> http_metrics) {
  return [&d, http_metrics](Request& req) -> awaitable<Response> {
    if (!d.ops) throw HttpError{ErrorCode::kUnavailable};
    const OpsHooks& ops = *d.ops;
    // A proxy on the same host connects from loopback for everyone: a forwarded request is not local.
    bool forwarded = !req.Header("X-Forwarded-For").empty() || !req.Header("Forwarded").empty();
    bool allowed = ops.allow_loopback && IsLoopback(req.remote_ip) && !forwarded;
    if (!allowed && !ops.metrics_token.empty()) {
      std::string auth = req.Header("Authorization");
      allowed = auth.starts_with("Bearer ") && crypto::ConstantTimeEquals(auth.substr(7), ops.metrics_token);
    }
    if (!allowed) throw HttpError{ErrorCode::kUnauthenticated};

    auto now = d.clock.Now();
    auto g = co_await Read(d.store, [&](SqlTx& tx) { return ReadDbGauges(tx, now); });
    std::string out;
    out.reserve(16 * 1024);
    out += "# HELP bookstamp_build_info The running binary.\n# TYPE bookstamp_build_info gauge\n";
    out += fmt::format("bookstamp_build_info{{version=\"{}\",compiler=\"gcc {}.{}\"}} 1\n", ops.version, __GNUC__,
                       __GNUC_MINOR__);
    http_metrics->AppendText(out);
    if (ops.store_metrics) ops.store_metrics(out);
    out += "# HELP bookstamp_outbox_pending Notice deliveries not yet done (pending or being sent), per channel.\n";
    out += "# TYPE bookstamp_outbox_pending gauge\n";
    for (const char* channel : {"email", "push"}) {
      auto it = std::find_if(g.outbox.begin(), g.outbox.end(), [&](const auto& c) { return c.channel == channel; });
      out += fmt::format("bookstamp_outbox_pending{{channel=\"{}\"}} {}\n", channel, it == g.outbox.end() ? 0 : it->pending);
    }
    out += "# HELP bookstamp_outbox_oldest_pending_seconds Age of the oldest undelivered notice, per channel (0: none).\n";
    out += "# TYPE bookstamp_outbox_oldest_pending_seconds gauge\n";
    for (const char* channel : {"email", "push"}) {
      auto it = std::find_if(g.outbox.begin(), g.outbox.end(), [&](const auto& c) { return c.channel == channel; });
      double age = it == g.outbox.end() ? 0.0 : std::max<double>(0.0, (ToMillis(now) - it->oldest_ms) / 1000.0);
      out += fmt::format("bookstamp_outbox_oldest_pending_seconds{{channel=\"{}\"}} {}\n", channel, age);
    }
    out += "# HELP bookstamp_sessions_active Unexpired sessions.\n# TYPE bookstamp_sessions_active gauge\n";
    out += fmt::format("bookstamp_sessions_active{{kind=\"staff\"}} {}\n", g.staff_sessions);
    out += fmt::format("bookstamp_sessions_active{{kind=\"patron\"}} {}\n", g.patron_sessions);
    Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = std::move(out);
    res.headers.emplace_back("Cache-Control", "no-store");
    co_return res;
  };
}

}  // namespace bookstamp::http
