// The query mix against `GET /api/v1/search` of a running server, at each client count (one
// keep-alive connection per client thread); prints TSV lines for bench/search/run.sh: the hits of
// every query (`total` of the first page) and the latency percentiles with queries per second.
//
//   bookstamp_search_load --url http://127.0.0.1:8080 --queries queries.tsv [--clients "1 16"]
//                         [--seconds 20] [--warmup 2]
#include <cstdio>
#include <iostream>
#include <sstream>

#include "query_mix.hpp"

namespace {

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string PathOf(const bench::search::MixQuery& q) {
  std::string path = "/api/v1/search?";
  for (const auto& [k, v] : q.params) path += k + "=" + UrlEncode(v) + "&";
  path.pop_back();
  return path;
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Flags flags(argc, argv, 1);
  auto url = bench::ParseUrl(flags.Str("url"));
  auto mix = bench::search::ReadMix(flags.Str("queries"));
  double seconds = flags.Num("seconds", 20), warmup = flags.Num("warmup", 2);
  std::vector<std::string> paths;
  for (const auto& q : mix) paths.push_back(PathOf(q));

  bench::HttpClient probe(url);
  for (std::size_t i = 0; i < mix.size(); ++i) {
    probe.Do("GET", paths[i]);  // once to warm, once to time
    auto t0 = bench::Clock::now();
    auto r = probe.Do("GET", paths[i]);
    double ms = bench::MsSince(t0, bench::Clock::now());
    if (r.status != 200) throw std::runtime_error(fmt::format("{}: HTTP {} {}", paths[i], r.status, r.body));
    std::printf("hits\txapian\t%s\t%s\t%lld\t%.2f\n", mix[i].cls.c_str(), mix[i].raw.c_str(),
                bench::JsonIntField(r.body, "total").value_or(-1), ms);
  }
  std::fflush(stdout);

  std::istringstream counts(flags.Str("clients", "1 16"));
  for (int clients; counts >> clients;) {
    std::vector<bench::HttpClient> conns;
    for (int c = 0; c < clients; ++c) {
      conns.emplace_back(url);
      conns.back().Connect();
    }
    bench::search::RunMix("xapian-http", mix, clients, warmup, seconds, [&](int t, std::size_t i) {
      auto t0 = bench::Clock::now();
      auto r = conns[static_cast<std::size_t>(t)].Do("GET", paths[i], {}, {}, false);
      double ms = bench::MsSince(t0, bench::Clock::now());
      if (r.status != 200) throw std::runtime_error(fmt::format("{}: HTTP {}", paths[i], r.status));
      return ms;
    });
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bookstamp_search_load: " << e.what() << "\n";
  return 1;
}
