// bookstamp_load: prepares a benchmark data set and drives a running `bookstamp serve` over HTTP.
// It starts nothing itself; bench/run.sh starts and stops the server around it.
//
//   bookstamp_load setup    --url URL --admin-user U --admin-pass P --out DIR [--items N] [--staff N]
//                           creates through the API: branch BENCH, policy, counter staff and their
//                           sessions, one patron (for its PIN hash), bibs with items, the prize.
//   bookstamp_load seed     --db DATA/bookstamp.db --out DIR [--patrons N] [--balance B]
//                           with the server STOPPED: patrons, cards, accounts, sessions and opening
//                           balances written straight into SQLite (argon2id would make 5,000 logins slow).
//   bookstamp_load checkout --url URL --clients N --seconds S --tokens DIR/staff_tokens.txt
//                           --item-start K --item-count M [--cards N] [--warmup W]
//   bookstamp_load prize-launch --url URL --clients 5000 --tokens DIR/patron_tokens.txt --prize ID
//                           [--threads T]
//
// Fixed names: branch BENCH; items BI0000000…, 1,000 per bib (bib of item j = j / 1000); cards
// BC000000…; checkout j uses card j % cards, so no card borrows two copies of one title in a run and
// every checkout earns its point. The last line of checkout and prize-launch is a tab-separated
// "ROW" record that run.sh turns into the results table.
#include <sqlite3.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "bench_util.hpp"

namespace {

using bench::Clock;
using bench::Flags;
using bench::HttpClient;
using bench::HttpResponse;
using bench::MsSince;
using bench::Url;

constexpr const char* kBranch = "BENCH";
constexpr const char* kPinCard = "BENCH-PIN";
constexpr int kItemsPerBib = 1000;

std::string ItemBarcode(long long j) { return fmt::format("BI{:07d}", j); }
std::string CardNumber(long long i) { return fmt::format("BC{:06d}", i); }

HttpResponse Expect(HttpResponse r, int status, std::string_view what) {
  if (r.status != status)
    throw std::runtime_error(fmt::format("{}: expected {}, got {}: {}", what, status, r.status, r.body));
  return r;
}

std::string Login(HttpClient& c, const std::string& user, const std::string& pass) {
  auto r = Expect(c.Do("POST", "/api/v1/staff/session",
                       fmt::format(R"({{"username":"{}","password":"{}"}})", user, pass)),
                  201, "staff login " + user);
  auto token = bench::JsonStringField(r.body, "token");
  if (!token) throw std::runtime_error("no token in " + r.body);
  return *token;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::string StatusHistogram(const std::map<std::string, long long>& h) {
  std::string s;
  for (const auto& [k, n] : h) s += fmt::format("{}{}×{}", s.empty() ? "" : " ", k, n);
  return s.empty() ? "-" : s;
}

// CPU seconds (user + system) this process has used; run.sh sets them beside the server's.
// `requests`: how many this run sent in all (warm-up included), so run.sh can divide.
void PrintCpu(long long requests) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  std::cout << fmt::format("CPU\t{:.2f}\t{}\n", sec(u.ru_utime) + sec(u.ru_stime), requests);
}

// ---------------------------------------------------------------- setup (through the API)

int Setup(const Flags& f) {
  Url url = bench::ParseUrl(f.Str("url"));
  auto out = std::filesystem::path(f.Str("out"));
  std::filesystem::create_directories(out);
  const long long items = f.Int("items", 200'000);
  const int staff = static_cast<int>(f.Int("staff", 64));
  const long long prize_stock = f.Int("prize-stock", 100);
  const long long prize_cost = f.Int("prize-cost", 10);
  if (items % kItemsPerBib != 0) throw std::invalid_argument("--items must be a multiple of 1000");
  auto t0 = Clock::now();

  HttpClient admin(url);
  std::string token = Login(admin, f.Str("admin-user"), f.Str("admin-pass"));
  Expect(admin.Do("POST", "/api/v1/branches", fmt::format(R"({{"code":"{}","name":"Bench branch"}})", kBranch), token),
         201, "create branch");
  // Many open loans per card, no point caps: every checkout of the run is allowed and earns its point.
  Expect(admin.Do("PATCH", "/api/v1/policy",
                  R"({"card_types":{"personal":{"max_loans":1000}},"points":{"daily_cap":0,"monthly_cap":0}})", token),
         200, "patch policy");
  // One patron through the API: its argon2id PIN hash is reused by `seed` for every bench card.
  Expect(admin.Do("POST", "/api/v1/patrons",
                  fmt::format(R"({{"name":"Bench PIN","card":{{"card":"{}","type":"personal","pin":"2468"}}}})",
                              kPinCard),
                  token),
         201, "create patron");

  // Counter staff, each with its own session (argon2id both ways: a few at a time).
  std::vector<std::string> staff_tokens(static_cast<std::size_t>(staff));
  {
    std::atomic<int> next{0};
    std::vector<std::thread> workers;
    std::mutex error_mu;
    std::string error;
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&] {
        try {
          HttpClient c(url);
          for (int i; (i = next++) < staff;) {
            auto user = fmt::format("bench-counter-{:03d}", i);
            Expect(c.Do("POST", "/api/v1/staff",
                        fmt::format(R"({{"username":"{}","password":"bench-counter-pass","role":"counter","branch":"{}"}})",
                                    user, kBranch),
                        token),
                   201, "create staff");
            staff_tokens[static_cast<std::size_t>(i)] = Login(c, user, "bench-counter-pass");
          }
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mu);
          error = e.what();
        }
      });
    }
    for (auto& w : workers) w.join();
    if (!error.empty()) throw std::runtime_error(error);
  }
  {
    std::ofstream f_tokens(out / "staff_tokens.txt");
    for (const auto& t : staff_tokens) f_tokens << t << "\n";
  }

  // Bibs of 1,000 items each.
  for (long long b = 0; b < items / kItemsPerBib; ++b) {
    std::string body = fmt::format(R"({{"title":"Bench title {}","author":"Bench","items":[)", b);
    for (long long k = 0; k < kItemsPerBib; ++k) {
      body += fmt::format(R"({}{{"barcode":"{}","branch":"{}"}})", k ? "," : "", ItemBarcode(b * kItemsPerBib + k),
                          kBranch);
    }
    body += "]}";
    Expect(admin.Do("POST", "/api/v1/bibs", body, token), 201, "create bib");
  }

  auto prize = Expect(admin.Do("POST", "/api/v1/prizes",
                               fmt::format(R"({{"branch":"{}","name":"Launch prize","cost":{},"stock":{}}})", kBranch,
                                           prize_cost, prize_stock),
                               token),
                      201, "create prize");
  auto prize_id = bench::JsonIntField(prize.body, "id");
  if (!prize_id) throw std::runtime_error("no prize id in " + prize.body);
  std::ofstream(out / "prize_id") << *prize_id << "\n";
  std::cout << fmt::format("setup: branch {}, {} counter sessions, {} items in {} bibs, prize {} (stock {}), {:.1f} s\n",
                           kBranch, staff, items, items / kItemsPerBib, *prize_id, prize_stock,
                           MsSince(t0, Clock::now()) / 1000);
  return 0;
}

// ---------------------------------------------------------------- seed (straight into SQLite, server stopped)

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("open {}: {}", path, sqlite3_errmsg(db_)));
    Exec("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000");
  }
  ~Db() { sqlite3_close_v2(db_); }
  void Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(fmt::format("{}: {}", sql, msg));
    }
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("prepare {}: {}", sql, sqlite3_errmsg(db_)));
    return s;
  }
  // Steps a bound statement once; returns column 0 as an integer when it produced a row.
  long long Step(sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    long long v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    if (rc == SQLITE_ROW && sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return v;
  }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

void BindText(sqlite3_stmt* s, int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }

std::string RandomHexToken() {
  static std::random_device rd;
  std::string bytes(32, '\0');
  for (auto& b : bytes) b = static_cast<char>(rd());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string t;
  for (unsigned char c : bytes) t += {kDigits[c >> 4], kDigits[c & 15]};
  return t;
}

std::string UtcDay(std::chrono::system_clock::time_point t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

int Seed(const Flags& f) {
  const long long patrons = f.Int("patrons", 5000);
  const long long balance = f.Int("balance", 100);
  auto out = std::filesystem::path(f.Str("out"));
  std::filesystem::create_directories(out);
  auto t0 = Clock::now();
  Db db(f.Str("db"));
  std::string pin_hash;
  {
    sqlite3_stmt* s = db.Prepare("SELECT pin_hash FROM cards WHERE number = ?");
    BindText(s, 1, kPinCard);
    if (sqlite3_step(s) != SQLITE_ROW) throw std::runtime_error("no BENCH-PIN card: run setup first");
    pin_hash = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }
  auto now_tp = std::chrono::system_clock::now();
  long long now = std::chrono::duration_cast<std::chrono::milliseconds>(now_tp.time_since_epoch()).count();
  long long expires = now + 30LL * 24 * 3600 * 1000;  // kPatronSessionTtl
  std::string day = UtcDay(now_tp);

  auto* patron = db.Prepare("INSERT INTO patrons(name, created_at) VALUES (?, ?) RETURNING id");
  auto* account = db.Prepare("INSERT INTO accounts(created_at) VALUES (?) RETURNING id");
  auto* card = db.Prepare(
      "INSERT INTO cards(number, patron_id, type, status, pin_hash, account_id, created_at) "
      "VALUES (?, ?, 'personal', 'active', ?, ?, ?)");
  auto* session = db.Prepare("INSERT INTO sessions(token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
  auto* ledger = db.Prepare(
      "INSERT INTO ledger(card, at, day, kind, delta, balance_after, source_key, branch) "
      "VALUES (?, ?, ?, 'opening', ?, ?, ?, ?)");
  std::ofstream tokens(out / "patron_tokens.txt");
  db.Exec("BEGIN IMMEDIATE");
  for (long long i = 0; i < patrons; ++i) {
    std::string number = CardNumber(i);
    BindText(patron, 1, fmt::format("Bench patron {}", i));
    sqlite3_bind_int64(patron, 2, now);
    long long pid = db.Step(patron);
    sqlite3_bind_int64(account, 1, now);
    long long aid = db.Step(account);
    BindText(card, 1, number);
    sqlite3_bind_int64(card, 2, pid);
    BindText(card, 3, pin_hash);
    sqlite3_bind_int64(card, 4, aid);
    sqlite3_bind_int64(card, 5, now);
    db.Step(card);
    std::string token = RandomHexToken();
    BindText(session, 1, bench::Sha256Hex(token));  // sessions.token_hash: lowercase hex SHA-256 (TokenHash)
    sqlite3_bind_int64(session, 2, aid);
    sqlite3_bind_int64(session, 3, now);
    sqlite3_bind_int64(session, 4, expires);
    db.Step(session);
    if (balance > 0) {
      BindText(ledger, 1, number);
      sqlite3_bind_int64(ledger, 2, now);
      BindText(ledger, 3, day);
      sqlite3_bind_int64(ledger, 4, balance);
      sqlite3_bind_int64(ledger, 5, balance);
      BindText(ledger, 6, "opening:bench:" + number);
      BindText(ledger, 7, kBranch);
      db.Step(ledger);
    }
    tokens << number << " " << token << "\n";
  }
  db.Exec("COMMIT");
  for (auto* s : {patron, account, card, session, ledger}) sqlite3_finalize(s);
  std::cout << fmt::format("seed: {} patrons with cards, accounts, sessions and {} opening points, {:.1f} s\n", patrons,
                           balance, MsSince(t0, Clock::now()) / 1000);
  return 0;
}

// ---------------------------------------------------------------- checkout (thread per client)

struct Sample {
  double start_ms;  // from the start of the run
  double latency_ms;
  int status;
};

int Checkout(const Flags& f) {
  Url url = bench::ParseUrl(f.Str("url"));
  const int clients = static_cast<int>(f.Int("clients"));
  const double seconds = f.Num("seconds", 10);
  const double warmup = f.Num("warmup", 1);
  const long long item_start = f.Int("item-start");
  const long long item_end = item_start + f.Int("item-count");
  const long long cards = f.Int("cards", 5000);
  const std::string label = f.Str("label", "HTTP checkout");
  auto tokens = ReadLines(f.Str("tokens"));
  if (tokens.empty()) throw std::runtime_error("no staff tokens");

  std::atomic<long long> next{item_start};
  std::atomic<bool> exhausted{false};
  std::vector<std::vector<Sample>> samples(static_cast<std::size_t>(clients));
  std::vector<std::map<std::string, long long>> histograms(static_cast<std::size_t>(clients));
  std::mutex bodies_mu;
  std::vector<std::string> bad_bodies;
  Clock::time_point start;
  std::barrier sync(clients, [&]() noexcept { start = Clock::now(); });
  const auto window_ms = (warmup + seconds) * 1000;

  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      auto& mine = samples[static_cast<std::size_t>(i)];
      auto& hist = histograms[static_cast<std::size_t>(i)];
      mine.reserve(16'384);
      const std::string& token = tokens[static_cast<std::size_t>(i) % tokens.size()];
      HttpClient c(url);
      c.Connect();
      sync.arrive_and_wait();
      for (;;) {
        auto t0 = Clock::now();
        double at = MsSince(start, t0);
        if (at >= window_ms) break;
        long long j = next.fetch_add(1);
        if (j >= item_end) {
          exhausted = true;
          break;
        }
        auto body = fmt::format(R"({{"card":"{}","item_barcode":"{}","branch":"{}"}})", CardNumber(j % cards),
                                ItemBarcode(j), kBranch);
        int status = -1;
        std::string answer;
        try {
          auto r = c.Do("POST", "/api/v1/circulation/checkout", body, token, /*retry=*/false);
          status = r.status;
          if (status != 201) answer = std::move(r.body);
        } catch (const std::exception& e) {
          answer = e.what();
          c.Close();
        }
        mine.push_back({at, MsSince(t0, Clock::now()), status});
        ++hist[status < 0 ? "error" : std::to_string(status)];
        if (status != 201) {
          std::lock_guard lock(bodies_mu);
          if (bad_bodies.size() < 5) bad_bodies.push_back(fmt::format("{} {}", status, answer));
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  // Requests that started after the warm-up and finished inside the window.
  const double begin_ms = warmup * 1000;
  std::vector<double> lat;
  double last_done = begin_ms;
  long long ok = 0;
  std::map<std::string, long long> hist;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    for (const auto& s : samples[i]) {
      double done = s.start_ms + s.latency_ms;
      if (s.start_ms >= begin_ms && done <= window_ms) {
        lat.push_back(s.latency_ms);
        if (s.status == 201) ++ok;
        last_done = std::max(last_done, done);
      }
    }
    for (const auto& [k, n] : histograms[i]) hist[k] += n;
  }
  double measured_s = (exhausted ? last_done - begin_ms : window_ms - begin_ms) / 1000;
  auto p = bench::Summarize(lat);
  double rate = measured_s > 0 ? static_cast<double>(p.n) / measured_s : 0;
  long long used = std::min(next.load(), item_end) - item_start;
  std::cout << fmt::format(
      "{}: {} clients, {:.1f} s measured (after {:.1f} s warm-up){}: {} checkouts, {:.0f}/s; latency ms p50 {:.2f} "
      "p90 {:.2f} p99 {:.2f} max {:.2f} mean {:.2f}; statuses (whole run, {} items used): {}\n",
      label, clients, measured_s, warmup, exhausted ? " — ran out of items" : "", p.n, rate, p.p50, p.p90, p.p99, p.max,
      p.mean, used, StatusHistogram(hist));
  for (const auto& b : bad_bodies) std::cout << "  non-201: " << b.substr(0, 300) << "\n";
  bool all_created = hist.size() == 1 && hist.begin()->first == "201";
  std::cout << fmt::format("ROW\t{}\t{}\t{}\t{:.1f}\t{:.0f}\t{:.2f}\t{:.2f}\t{:.2f}\t{:.2f}\t{}\t{}\n", label, clients,
                           p.n, measured_s, rate, p.p50, p.p90, p.p99, p.max, StatusHistogram(hist),
                           all_created ? "all 201" : "NOT all 201");
  long long sent = 0;
  for (const auto& [k, n] : hist) sent += n;
  PrintCpu(sent);
  return all_created ? 0 : 1;
}

// ---------------------------------------------------------------- prize launch (epoll, many clients per thread)

struct Racer {
  std::string card, token;
  int fd = -1;
  std::string request;
  std::size_t sent = 0;
  std::string in;
  Clock::time_point sent_at;
  int status = 0;  // 0: no answer yet; -1: connection error
  std::string code;
  double latency_ms = 0;
  double done_ms = 0;  // from the start of the race
};

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

int PrizeLaunch(const Flags& f) {
  Url url = bench::ParseUrl(f.Str("url"));
  const long long prize = f.Int("prize");
  const int threads_n = static_cast<int>(f.Int("threads", 4));
  const double timeout_s = f.Num("timeout", 120);
  auto lines = ReadLines(f.Str("tokens"));
  const auto clients = std::min<std::size_t>(static_cast<std::size_t>(f.Int("clients", 5000)), lines.size());
  const std::string prize_path = fmt::format("/api/v1/prizes/{}", prize);

  long long stock_before = 0;
  {
    HttpClient c(url);
    auto r = Expect(c.Do("GET", prize_path), 200, "get prize");
    stock_before = bench::JsonIntField(r.body, "stock_left").value_or(-1);
  }

  std::vector<Racer> racers(clients);
  for (std::size_t i = 0; i < clients; ++i) {
    auto sp = lines[i].find(' ');
    racers[i].card = lines[i].substr(0, sp);
    racers[i].token = lines[i].substr(sp + 1);
    racers[i].request = bench::FormatRequest("POST", fmt::format("/api/v1/cards/{}/redemptions", racers[i].card), url,
                                             racers[i].token, fmt::format(R"({{"prize_id":{}}})", prize));
  }

  // Every client connects and opens the prize page (a GET) before the launch, like an app already
  // open on the prize; then all of them press "redeem" at once.
  Clock::time_point race_start;
  std::barrier sync(threads_n, [&]() noexcept { race_start = Clock::now(); });
  std::atomic<int> failures{0};
  auto t_connect = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < threads_n; ++t) {
    threads.emplace_back([&, t] {
      std::size_t lo = clients * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads_n);
      std::size_t hi = clients * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads_n);
      int ep = epoll_create1(EPOLL_CLOEXEC);
      for (std::size_t i = lo; i < hi; ++i) {
        try {
          racers[i].fd = bench::ConnectTcp(url);
        } catch (const std::exception&) {
          racers[i].status = -1;
          ++failures;
        }
      }
      // The prize page first (a GET): the connection is then an established keep-alive one.
      for (std::size_t i = lo; i < hi; ++i) {
        if (racers[i].fd < 0) continue;
        auto get = bench::FormatRequest("GET", prize_path, url, racers[i].token, {});
        if (::send(racers[i].fd, get.data(), get.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(get.size())) {
          racers[i].status = -1;
          continue;
        }
      }
      for (std::size_t i = lo; i < hi; ++i) {
        if (racers[i].fd < 0 || racers[i].status < 0) continue;
        std::string buf;
        HttpResponse r;
        for (;;) {
          char tmp[8192];
          ssize_t n = ::recv(racers[i].fd, tmp, sizeof tmp, 0);
          if (n <= 0) {
            racers[i].status = -1;
            break;
          }
          buf.append(tmp, static_cast<std::size_t>(n));
          if (bench::ParseResponse(buf, r)) break;
        }
        if (racers[i].status == 0 && r.status != 200) racers[i].status = -1;
        SetNonBlocking(racers[i].fd);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, racers[i].fd, &ev);
      }

      sync.arrive_and_wait();
      std::size_t pending = 0;
      for (std::size_t i = lo; i < hi; ++i) {
        auto& r = racers[i];
        if (r.status != 0) continue;
        r.sent_at = Clock::now();
        ssize_t n = ::send(r.fd, r.request.data(), r.request.size(), MSG_NOSIGNAL);
        if (n != static_cast<ssize_t>(r.request.size())) {  // a fresh socket takes ~400 bytes at once
          r.status = -1;
          continue;
        }
        ++pending;
      }
      std::vector<epoll_event> events(256);
      while (pending > 0) {
        if (MsSince(race_start, Clock::now()) > timeout_s * 1000) break;
        int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 1000);
        for (int k = 0; k < n; ++k) {
          auto& r = racers[events[static_cast<std::size_t>(k)].data.u64];
          if (r.status != 0) continue;
          char tmp[16384];
          ssize_t got = ::recv(r.fd, tmp, sizeof tmp, 0);
          if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
          auto now = Clock::now();
          if (got <= 0) {
            r.status = -1;
            --pending;
            continue;
          }
          r.in.append(tmp, static_cast<std::size_t>(got));
          HttpResponse resp;
          if (bench::ParseResponse(r.in, resp)) {
            r.status = resp.status;
            r.code = resp.status == 201 ? "" : bench::JsonStringField(resp.body, "code").value_or("?");
            r.latency_ms = MsSince(r.sent_at, now);
            r.done_ms = MsSince(race_start, now);
            --pending;
          }
        }
      }
      for (std::size_t i = lo; i < hi; ++i)
        if (racers[i].fd >= 0) ::close(racers[i].fd);
      ::close(ep);
    });
  }
  for (auto& t : threads) t.join();
  double connect_s = MsSince(t_connect, race_start) / 1000;

  std::map<std::string, long long> hist;
  std::vector<double> lat, lat_won;
  double sold_out_ms = 0, all_done_ms = 0;
  long long won = 0, out_of_stock = 0;
  for (const auto& r : racers) {
    std::string key = r.status == 0 ? "no answer" : r.status < 0 ? "error" : std::to_string(r.status);
    if (!r.code.empty()) key += " " + r.code;
    ++hist[key];
    if (r.status <= 0) continue;
    lat.push_back(r.latency_ms);
    all_done_ms = std::max(all_done_ms, r.done_ms);
    if (r.status == 201) {
      ++won;
      lat_won.push_back(r.latency_ms);
      sold_out_ms = std::max(sold_out_ms, r.done_ms);
    } else if (r.status == 409 && r.code == "OUT_OF_STOCK") {
      ++out_of_stock;
    }
  }
  long long stock_after = -1;
  {
    HttpClient c(url);
    auto r = c.Do("GET", prize_path);
    stock_after = bench::JsonIntField(r.body, "stock_left").value_or(-1);
  }
  auto p = bench::Summarize(lat);
  auto pw = bench::Summarize(lat_won);
  bool exact = won == stock_before && out_of_stock == static_cast<long long>(clients) - stock_before && stock_after == 0;
  double rate = all_done_ms > 0 ? static_cast<double>(p.n) / (all_done_ms / 1000) : 0;
  std::cout << fmt::format(
      "prize launch: {} clients on {} threads ({} connected and warmed up in {:.1f} s) racing for {} units: {} × 201, "
      "{} × 409 OUT_OF_STOCK; sold out after {:.0f} ms, all {} answered after {:.0f} ms ({:.0f} answers/s); "
      "latency ms p50 {:.1f} p90 {:.1f} p99 {:.1f} max {:.1f} (winners: p50 {:.1f} max {:.1f}); stock left {}; "
      "statuses: {} — {}\n",
      clients, threads_n, clients - static_cast<std::size_t>(failures.load()), connect_s, stock_before, won,
      out_of_stock, sold_out_ms, p.n, all_done_ms, rate, p.p50, p.p90, p.p99, p.max, pw.p50, pw.max, stock_after,
      StatusHistogram(hist), exact ? "exactly the stock sold" : "WRONG COUNT");
  std::cout << fmt::format("ROW\tprize launch ({} units; sold out in {:.0f} ms)\t{}\t{}\t{:.1f}\t{:.0f}\t{:.2f}\t{:.2f}\t{:.2f}\t{:.2f}\t{}\t{}\n",
                           stock_before, sold_out_ms, clients, p.n, all_done_ms / 1000, rate, p.p50, p.p90, p.p99,
                           p.max, StatusHistogram(hist),
                           exact ? fmt::format("exactly {} × 201", won) : "WRONG COUNT");
  PrintCpu(2 * static_cast<long long>(clients));  // a prize-page GET and a redemption POST each
  return exact ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bookstamp_load setup|seed|checkout|prize-launch --flags (see bench/load.cpp)\n";
    return 2;
  }
  try {
    std::string cmd = argv[1];
    Flags f(argc, argv, 2);
    if (cmd == "setup") return Setup(f);
    if (cmd == "seed") return Seed(f);
    if (cmd == "checkout") return Checkout(f);
    if (cmd == "prize-launch") return PrizeLaunch(f);
    std::cerr << "unknown command " << cmd << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bookstamp_load: " << e.what() << "\n";
    return 1;
  }
}
