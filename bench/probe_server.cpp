// bookstamp_probe_server: the HTTP server of `bookstamp serve` (same store, routes and server; no
// sweeper) with its Store wrapped to time every job, so a benchmark can see where a write's time
// goes: queue wait, the job itself on the writer thread, and the group's COMMIT (fsync). A
// diagnostic for docs/BENCHMARKS.md, not a product binary; built with -DBOOKSTAMP_BENCH_PROBE=ON.
//
//   bookstamp_probe_server --data DIR [--listen 127.0.0.1:0] [--max-group 64] [--readers 4] [--quiet]
//                          [--sql-profile]   (time every statement of the write jobs, by SQL text)
//                          [--no-overlap-sync]  (synchronous=FULL in the writer's COMMIT, as before)
//                          [--sync-threads N] [--checkpoint-pages N] [--wal-restart-pages N]  (SqliteStoreOptions)
//                          [--stmtjrnl-spill BYTES]  (experiment: SQLite's statement-journal spill
//                                                     threshold, -1 = keep it in memory; default 64 KiB)
//   kill -USR1 PID   # print the statistics since the previous USR1 (or start) and reset them
//   kill -TERM PID   # stop
//
// Group membership comes from SqliteStore::GroupsCommitted(): it is bumped after a group's COMMIT (and
// WAL sync) and before that group's Done callbacks run, so every Done of one group reads the same value.
#include <boost/asio/thread_pool.hpp>
#include <sqlite3.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "app/crypto.hpp"
#include "app/ports/clock.hpp"
#include "bench_util.hpp"
#include "http/api/api.hpp"
#include "http/server.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using bench::Clock;
using namespace bookstamp;

struct WriteRecord {
  Clock::time_point submitted, started, finished, done;
  std::uint64_t group = 0;
};
struct ReadRecord {
  Clock::time_point submitted, started, finished;
};

// Per SQL text: how often the write jobs ran it and for how long (writer thread only).
struct SqlStat {
  long long calls = 0;
  double us = 0;
};

// Forwards to the store's transaction and times each statement.
class TimingTx final : public SqlTx {
 public:
  TimingTx(SqlTx& inner, std::map<std::string, SqlStat, std::less<>>& stats, double& total_us)
      : inner_(inner), stats_(stats), total_us_(total_us) {}
  SqlRows Query(std::string_view sql, std::initializer_list<SqlValue> params) override {
    return Timed(sql, [&] { return inner_.Query(sql, params); });
  }
  SqlRows Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Timed(sql, [&] { return inner_.Query(sql, params); });
  }
  std::int64_t Exec(std::string_view sql, std::initializer_list<SqlValue> params) override {
    return Timed(sql, [&] { return inner_.Exec(sql, params); });
  }
  std::int64_t Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Timed(sql, [&] { return inner_.Exec(sql, params); });
  }
  std::string_view Dialect() const override { return inner_.Dialect(); }

 private:
  template <class F>
  auto Timed(std::string_view sql, F run) -> decltype(run()) {
    auto t0 = Clock::now();
    struct Add {
      TimingTx& self;
      std::string_view sql;
      Clock::time_point t0;
      ~Add() {
        double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        auto it = self.stats_.find(sql);
        if (it == self.stats_.end()) it = self.stats_.emplace(std::string(sql), SqlStat{}).first;
        ++it->second.calls;
        it->second.us += us;
        self.total_us_ += us;
      }
    } add{*this, sql, t0};
    return run();
  }
  SqlTx& inner_;
  std::map<std::string, SqlStat, std::less<>>& stats_;
  double& total_us_;
};

class ProbeStore final : public Store {
 public:
  ProbeStore(SqliteStore& inner, bool sql_profile)
      : inner_(inner),
        sql_profile_(sql_profile),
        since_(Clock::now()),
        commit_time_(inner.CommitTime()),
        syncs_(inner.WalSyncs()),
        checkpoints_(inner.Checkpoints()) {}

  void SubmitWrite(WriteJob job, Done done) override {
    auto rec = std::make_shared<WriteRecord>();
    rec->submitted = Clock::now();
    inner_.SubmitWrite(
        [this, job = std::move(job), rec](SqlTx& tx) {
          rec->started = Clock::now();
          struct Stamp {
            WriteRecord& r;
            ~Stamp() { r.finished = Clock::now(); }
          } stamp{*rec};
          if (!sql_profile_) return job(tx);
          std::lock_guard lock(sql_mu_);  // uncontended: one writer thread; the report takes it briefly
          TimingTx timed(tx, sql_stats_, sql_total_us_);
          return job(timed);
        },
        [this, done = std::move(done), rec](std::exception_ptr error) {
          rec->done = Clock::now();
          rec->group = inner_.GroupsCommitted();
          {
            std::lock_guard lock(mu_);
            writes_.push_back(*rec);
          }
          if (done) done(error);
        });
  }

  void SubmitRead(ReadJob job, Done done) override {
    auto rec = std::make_shared<ReadRecord>();
    rec->submitted = Clock::now();
    inner_.SubmitRead(
        [job = std::move(job), rec](SqlTx& tx) {
          rec->started = Clock::now();
          struct Stamp {
            ReadRecord& r;
            ~Stamp() { r.finished = Clock::now(); }
          } stamp{*rec};
          job(tx);
        },
        [this, done = std::move(done), rec](std::exception_ptr error) {
          {
            std::lock_guard lock(mu_);
            reads_.push_back(*rec);
          }
          if (done) done(error);
        });
  }

  void Close() override { inner_.Close(); }

  // The statistics since the last call, as text; resets them.
  std::string TakeReport() {
    std::vector<WriteRecord> writes;
    std::vector<ReadRecord> reads;
    auto now = Clock::now();
    double window_ms;
    {
      std::lock_guard lock(mu_);
      writes.swap(writes_);
      reads.swap(reads_);
      window_ms = bench::MsSince(since_, now);
      since_ = now;
    }
    const auto commit_time = inner_.CommitTime();
    const auto syncs = inner_.WalSyncs(), checkpoints = inner_.Checkpoints();
    const double writer_commit_ms = std::chrono::duration<double, std::milli>(commit_time - commit_time_).count();
    const auto window_syncs = syncs - syncs_, window_checkpoints = checkpoints - checkpoints_;
    commit_time_ = commit_time;
    syncs_ = syncs;
    checkpoints_ = checkpoints;
    auto us = [](Clock::time_point a, Clock::time_point b) {
      return std::chrono::duration<double, std::micro>(b - a).count();
    };
    std::vector<double> wait_ms, exec_us, rwait_ms, rexec_us, commit_ms, group_sizes, e2e_ms;
    double exec_total_ms = 0;
    struct Group {
      int size = 0;
      Clock::time_point first_start = Clock::time_point::max(), last_finish = Clock::time_point::min(),
                        first_done = Clock::time_point::max();
    };
    std::map<std::uint64_t, Group> groups;
    for (const auto& w : writes) {
      wait_ms.push_back(us(w.submitted, w.started) / 1000);
      exec_us.push_back(us(w.started, w.finished));
      e2e_ms.push_back(us(w.submitted, w.done) / 1000);
      exec_total_ms += us(w.started, w.finished) / 1000;
      auto& g = groups[w.group];
      ++g.size;
      g.first_start = std::min(g.first_start, w.started);
      g.last_finish = std::max(g.last_finish, w.finished);
      g.first_done = std::min(g.first_done, w.done);
    }
    for (const auto& [id, g] : groups) {
      group_sizes.push_back(g.size);
      double c = us(g.last_finish, g.first_done) / 1000;
      commit_ms.push_back(c);
    }
    for (const auto& r : reads) {
      rwait_ms.push_back(us(r.submitted, r.started) / 1000);
      rexec_us.push_back(us(r.started, r.finished));
    }
    std::map<std::string, SqlStat, std::less<>> sql_stats;
    double sql_total_us = 0;
    {
      std::lock_guard lock(sql_mu_);
      sql_stats.swap(sql_stats_);
      std::swap(sql_total_us, sql_total_us_);
    }
    auto w = bench::Summarize(wait_ms), x = bench::Summarize(exec_us), c = bench::Summarize(commit_ms),
         g = bench::Summarize(group_sizes), rw = bench::Summarize(rwait_ms), rx = bench::Summarize(rexec_us),
         e = bench::Summarize(e2e_ms);
    std::string out = fmt::format(
        "PROBE {:.1f} s: {} write jobs ({:.0f}/s) in {} groups ({:.0f} commits/s); group size mean {:.1f} p50 {:.0f} "
        "p90 {:.0f} max {:.0f}\n",
        window_ms / 1000, x.n, static_cast<double>(x.n) / (window_ms / 1000), c.n,
        static_cast<double>(c.n) / (window_ms / 1000), g.mean, g.p50, g.p90, g.max);
    out += fmt::format("PROBE write job on the writer thread µs: mean {:.0f} p50 {:.0f} p90 {:.0f} p99 {:.0f} max {:.0f}\n",
                       x.mean, x.p50, x.p90, x.p99, x.max);
    out += fmt::format("PROBE group COMMIT + sync (last job's end → first Done) ms: mean {:.2f} p50 {:.2f} p90 {:.2f} p99 {:.2f} max {:.2f}\n",
                       c.mean, c.p50, c.p90, c.p99, c.max);
    out += fmt::format("PROBE COMMIT statements on the writer: {:.2f} ms per group; WAL fdatasyncs off the writer: {} "
                       "({:.1f} groups each); checkpoints off the writer: {}\n",
                       c.n ? writer_commit_ms / static_cast<double>(c.n) : 0.0, window_syncs,
                       window_syncs ? static_cast<double>(c.n) / static_cast<double>(window_syncs) : 0.0,
                       window_checkpoints);
    out += fmt::format("PROBE write queue wait ms: mean {:.2f} p50 {:.2f} p90 {:.2f} p99 {:.2f} max {:.2f}; "
                       "submit → durable ms: mean {:.2f} p50 {:.2f} p99 {:.2f}\n",
                       w.mean, w.p50, w.p90, w.p99, w.max, e.mean, e.p50, e.p99);
    out += fmt::format("PROBE writer thread: {:.0f}% running jobs, {:.0f}% in COMMIT, {:.0f}% other/idle\n",
                       100 * exec_total_ms / window_ms, 100 * writer_commit_ms / window_ms,
                       std::max(0.0, 100 - 100 * (exec_total_ms + writer_commit_ms) / window_ms));
    out += fmt::format("PROBE {} read jobs: queue wait ms p50 {:.2f} p99 {:.2f}; job µs p50 {:.0f} p99 {:.0f}\n", rx.n,
                       rw.p50, rw.p99, rx.p50, rx.p99);
    if (sql_profile_ && x.n > 0) {
      const double jobs = static_cast<double>(x.n);
      std::vector<std::pair<std::string, SqlStat>> top(sql_stats.begin(), sql_stats.end());
      std::ranges::sort(top, [](const auto& a, const auto& b) { return a.second.us > b.second.us; });
      long long calls = 0;
      for (const auto& [sql, st] : top) calls += st.calls;
      out += fmt::format("PROBE per write job: {:.0f} µs in SQL ({:.1f} statements), {:.0f} µs outside SQL (C++ in the job)\n",
                         sql_total_us / jobs, static_cast<double>(calls) / jobs, x.mean - sql_total_us / jobs);
      for (std::size_t i = 0; i < top.size() && i < 30; ++i) {
        const auto& [sql, st] = top[i];
        out += fmt::format("PROBE   {:6.1f} µs/job {:5.2f} calls/job {:6.1f} µs/call  {}\n", st.us / jobs,
                           static_cast<double>(st.calls) / jobs, st.us / static_cast<double>(st.calls),
                           sql.substr(0, 110));
      }
    }
    return out;
  }

 private:
  SqliteStore& inner_;
  const bool sql_profile_;
  std::mutex sql_mu_;
  std::map<std::string, SqlStat, std::less<>> sql_stats_;  // GUARDED_BY(sql_mu_)
  double sql_total_us_ = 0;                                  // GUARDED_BY(sql_mu_)
  std::mutex mu_;
  std::vector<WriteRecord> writes_;  // GUARDED_BY(mu_)
  std::vector<ReadRecord> reads_;    // GUARDED_BY(mu_)
  Clock::time_point since_;          // GUARDED_BY(mu_)
  // The store's counters at the previous report (the signal thread only).
  std::chrono::nanoseconds commit_time_;
  std::uint64_t syncs_ = 0, checkpoints_ = 0;
};

int Main(const bench::Flags& f) {
  namespace fs = std::filesystem;
  fs::path data = f.Str("data");
  std::string listen = f.Str("listen", "127.0.0.1:0");
  auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  auto port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  if (f.Has("stmtjrnl-spill")) {
    // Process-wide, before SQLite initializes: what `PRAGMA temp_store=MEMORY` would do for the
    // savepoint (statement) journals, without touching the server's code.
    if (sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, static_cast<int>(f.Int("stmtjrnl-spill"))) != SQLITE_OK)
      throw std::runtime_error("sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL) failed");
  }
  crypto::Init();
  if (f.Has("quiet")) spdlog::set_level(spdlog::level::warn);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!fs::exists(data / "bookstamp.db")) throw std::runtime_error("no bookstamp.db in --data (run bookstamp serve once)");
  SqliteStore sqlite((data / "bookstamp.db").string(),
                     SqliteStoreOptions{.read_connections = static_cast<int>(f.Int("readers", 4)),
                                        .max_group = static_cast<int>(f.Int("max-group", 64)),
                                        .overlap_sync = !f.Has("no-overlap-sync"),
                                        .sync_threads = static_cast<int>(f.Int("sync-threads", 2)),
                                        .checkpoint_pages = static_cast<int>(f.Int("checkpoint-pages", 2000)),
                                        .wal_restart_pages = static_cast<int>(f.Int("wal-restart-pages", 30000))});
  ProbeStore store(sqlite, f.Has("sql-profile"));
  TimeZone tz(f.Str("timezone", "Asia/Taipei"));
  RealClock clock;
  boost::asio::thread_pool slow_pool(2);
  http::ApiDeps deps{store, clock, tz, nullptr, &slow_pool};
  http::Router router;
  http::AddApiRoutes(router, deps);
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  http::Server server(options, std::move(router));
  auto bound = server.Start();
  std::cout << fmt::format("bookstamp listening on http://{}:{}", host, bound) << std::endl;

  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      sigwait(&signals, &sig);
      if (sig == SIGUSR1) {
        std::cout << store.TakeReport() << std::flush;
        continue;
      }
      server.Stop();
      return;
    }
  });
  server.Run();
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  store.Close();
  std::cout << store.TakeReport() << std::flush;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(bench::Flags(argc, argv, 1));
  } catch (const std::exception& e) {
    std::cerr << "bookstamp_probe_server: " << e.what() << "\n";
    return 1;
  }
}
