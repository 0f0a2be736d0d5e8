// The query mix of the catalog search benchmark (written by bookstamp_gen_marc) and the timing
// helpers its two runners share: latency percentiles and the TSV lines run.sh turns into tables.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"

namespace bench::search {

struct MixQuery {
  std::string cls;                                         // "cjk-2", "isbn-10", ...
  std::string raw;                                         // "q=臺灣&page=5"
  std::vector<std::pair<std::string, std::string>> params;  // decoded pairs
  std::string Param(const std::string& k) const {
    for (const auto& [key, v] : params)
      if (key == k) return v;
    return {};
  }
};

inline std::vector<MixQuery> ReadMix(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<MixQuery> out;
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    MixQuery q{line.substr(0, tab), line.substr(tab + 1), {}};
    std::size_t at = 0;
    while (at <= q.raw.size()) {
      auto amp = q.raw.find('&', at);
      if (amp == std::string::npos) amp = q.raw.size();
      auto pair = q.raw.substr(at, amp - at);
      if (auto eq = pair.find('='); eq != std::string::npos) q.params.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
      at = amp + 1;
    }
    out.push_back(std::move(q));
  }
  if (out.empty()) throw std::runtime_error(path + " holds no queries");
  return out;
}

struct Stats {
  std::size_t n = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles (sorts `ms`).
inline Stats Summarize95(std::vector<double>& ms) {
  Stats s;
  s.n = ms.size();
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double q) {
    auto i = static_cast<std::size_t>(q * static_cast<double>(ms.size()) + 0.999999);
    return ms[std::min(ms.size(), std::max<std::size_t>(i, 1)) - 1];
  };
  s.p50 = rank(0.50);
  s.p95 = rank(0.95);
  s.p99 = rank(0.99);
  s.max = ms.back();
  return s;
}

// Runs `one(thread, query index)` -> ms from `threads` threads for `seconds` after `warmup` seconds,
// each thread walking the mix from its own starting point; prints the latency lines for `system`.
template <class F>
void RunMix(const std::string& system, const std::vector<MixQuery>& mix, int threads, double warmup, double seconds,
            F one) {
  std::vector<std::vector<std::pair<std::size_t, double>>> samples(static_cast<std::size_t>(threads));
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> pool;
  auto start = Clock::now();
  auto measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  auto until = measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      try {
        std::size_t i = static_cast<std::size_t>(t) * 7 % mix.size();
        for (;;) {
          auto t0 = Clock::now();
          if (t0 >= until) break;
          double ms = one(t, i);
          if (t0 >= measure_from) samples[static_cast<std::size_t>(t)].emplace_back(i, ms);
          i = (i + 1) % mix.size();
        }
      } catch (const std::exception& e) {
        if (!failed.exchange(true)) failure = e.what();
      }
    });
  for (auto& th : pool) th.join();
  if (failed) throw std::runtime_error(system + ": " + failure);
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_class;
  for (const auto& per : samples)
    for (const auto& [i, ms] : per) {
      all.push_back(ms);
      by_class[mix[i].cls].push_back(ms);
    }
  auto s = Summarize95(all);
  std::printf("latency\t%s\t%d\t%zu\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\n", system.c_str(), threads, s.n, s.p50, s.p95,
              s.p99, s.max, static_cast<double>(s.n) / seconds);
  for (auto& [cls, v] : by_class) {
    auto c = Summarize95(v);
    std::printf("class\t%s\t%d\t%s\t%zu\t%.2f\t%.2f\t%.2f\n", system.c_str(), threads, cls.c_str(), c.n, c.p50,
                c.p95, c.p99);
  }
  std::fflush(stdout);
}

}  // namespace bench::search
