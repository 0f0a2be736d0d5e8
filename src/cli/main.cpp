// bookstamp: the composition root. The only file that knows every module (ARCHITECTURE.md).
#include <CLI/CLI.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/admin.hpp"
#include "app/audit.hpp"
#include "app/circulation.hpp"
#include "app/crypto.hpp"
#include "app/ledger.hpp"
#include "app/lottery.hpp"
#include "app/prizes.hpp"
#include "app/transparency.hpp"
#include "cli/config.hpp"
#include "cli/demo.hpp"
#include "http/api/api.hpp"
#include "http/server.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fs = std::filesystem;
using namespace bookstamp;

namespace {

struct DataDir {
  fs::path root;
  fs::path db() const { return root / "bookstamp.db"; }
  fs::path secret() const { return root / "secret.key"; }
};

// The server key signs rotating codes; made on first start, readable by the owner only.
void EnsureSecretKey(const DataDir& dir) {
  if (fs::exists(dir.secret())) return;
  auto key = crypto::RandomBytes(32);
  {
    std::ofstream out(dir.secret(), std::ios::binary);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    if (!out) throw std::runtime_error("cannot write " + dir.secret().string());
  }
  fs::permissions(dir.secret(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
}

// The audit checkpoints' Ed25519 seed, derived from the server key so it needs no file of its own.
std::string CheckpointSeed(const DataDir& dir) {
  std::ifstream in(dir.secret(), std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != 32) throw std::runtime_error(dir.secret().string() + " must hold 32 bytes");
  return crypto::HmacSha256(key, "bookstamp audit checkpoint ed25519 seed");
}

std::unique_ptr<SqliteStore> OpenData(const DataDir& dir, const Config& config, const Clock& clock,
                                      const TimeZone& tz) {
  fs::create_directories(dir.root);
  EnsureSecretKey(dir);
  auto store = std::make_unique<SqliteStore>(dir.db().string(), SqliteStoreOptions{});
  Env env{clock, tz};
  store->Write([&](SqlTx& tx) {
    SeedPolicyIfEmpty(tx, env, config.policy_defaults);
    return TxOutcome::kCommit;
  });
  return store;
}

std::pair<std::string, std::uint16_t> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw CLI::ValidationError("--listen", "expected HOST:PORT");
  auto host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    throw CLI::ValidationError("--listen", "bad port");
  }
  if (port < 0 || port > 65535) throw CLI::ValidationError("--listen", "bad port");
  return {host, static_cast<std::uint16_t>(port)};
}

// The built web app: --static, else web/dist beside the source tree or the working directory.
std::string FindStaticDir(const std::string& given, const char* argv0) {
  if (!given.empty()) return given;
  std::vector<fs::path> candidates{fs::path("web/dist")};
  std::error_code ec;
  auto exe = fs::canonical(fs::path(argv0), ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "web" / "dist");
  for (const auto& c : candidates)
    if (fs::exists(c / "index.html")) return c.string();
  return {};
}

struct ServeOptions {
  std::string data = "data";
  std::string listen = "127.0.0.1:8080";
  std::string sip2;
  std::string config;
  std::string static_dir;
  bool test_clock = false;
};

int Serve(const ServeOptions& o, const char* argv0) {
  Config config = o.config.empty() ? Config{} : LoadConfig(o.config);
  TimeZone tz(config.timezone);
  RealClock real_clock;
  TestClock test_clock;
  const Clock& clock = o.test_clock ? static_cast<const Clock&>(test_clock) : real_clock;
  auto [host, port] = ParseListen(o.listen);

  // Signals are taken by one thread with sigwait; every other thread starts with them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto store = OpenData(DataDir{o.data}, config, clock, tz);
  boost::asio::thread_pool slow_pool(2);
  http::ApiDeps deps{*store, clock, tz, o.test_clock ? &test_clock : nullptr, &slow_pool};
  http::Router router;
  http::AddApiRoutes(router, deps);
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.static_dir = FindStaticDir(o.static_dir, argv0);
  http::Server server(options, std::move(router));
  auto bound = server.Start();
  std::cout << fmt::format("bookstamp listening on http://{}:{}", host, bound) << std::endl;
  if (o.test_clock) spdlog::warn("--test-clock is on: PUT /api/v1/test/clock moves time. Never in production.");

  // Sweeper: expired holds (no-shows), expired redemption codes (refund, stock back), and keys
  // and sessions past their time. Reads already treat expired things as expired meanwhile.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  auto checkpoint_seed = CheckpointSeed(DataDir{o.data});
  std::thread sweeper([&] {
    Env env{clock, tz};
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return stopping; })) {
      lock.unlock();
      try {
        store->Write([&](SqlTx& tx) {
          ExpireReadyHolds(tx, env);
          ExpireRedemptions(tx, env);
          auto now = ToMillis(env.Now());
          tx.Exec("DELETE FROM idempotency_keys WHERE created_at < ?", {now - 24LL * 3600 * 1000});
          tx.Exec("DELETE FROM sessions WHERE expires_at < ?", {now});
          SignCheckpointIfDue(tx, env, checkpoint_seed);
          return TxOutcome::kCommit;
        });
      } catch (const std::exception& e) {
        spdlog::error("sweeper: {}", e.what());
      }
      lock.lock();
    }
  });

  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: stopping", sig);
    server.Stop();
  });

  server.Run();
  {
    std::lock_guard lock(mu);
    stopping = true;
  }
  cv.notify_all();
  sweeper.join();
  // Wake the signal thread if the server stopped for another reason.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  store->Close();
  spdlog::info("stopped");
  return 0;
}

int StaffAdd(const std::string& data, const std::string& username, const std::string& password,
             const std::string& role_s, const std::string& branch) {
  auto role = RoleFromString(role_s);
  if (!role) throw CLI::ValidationError("--role", "sysadmin, branch_admin, counter or auditor");
  if (password.size() < 8) throw CLI::ValidationError("--password", "at least 8 characters");
  TimeZone tz(Config{}.timezone);
  RealClock clock;
  auto store = OpenData(DataDir{data}, Config{}, clock, tz);
  StaffInput in{username, crypto::HashPassword(password), *role,
                branch.empty() ? std::nullopt : std::optional<BranchCode>(BranchCode(branch))};
  Env env{clock, tz};
  Result<StaffView> result = Fail(ErrorCode::kUnavailable);
  store->Write([&](SqlTx& tx) {
    result = CreateStaff(tx, env, Actor::System("cli"), in);
    return result ? TxOutcome::kCommit : TxOutcome::kRollback;
  });
  if (!result) {
    std::cerr << "staff add: " << ToString(result.error().code) << "\n";
    return 1;
  }
  std::cout << fmt::format("staff {} ({}) added\n", username, role_s);
  return 0;
}

template <class F>
int ReadOnly(const std::string& data, F fn) {
  if (!fs::exists(DataDir{data}.db())) {
    std::cerr << "no database at " << DataDir{data}.db() << "\n";
    return 2;
  }
  SqliteStore store(DataDir{data}.db().string(), SqliteStoreOptions{.read_connections = 1});
  int rc = 0;
  store.Read([&](SqlTx& tx) { rc = fn(tx); });
  return rc;
}

// Prints the commitments and the winners, recomputed from the published list, secret and public value.
int LotteryVerify(const std::string& list_file, const std::string& secret_hex, const std::string& public_value,
                  std::int64_t winners) {
  std::ifstream in(list_file, std::ios::binary);
  std::string list((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto secret = crypto::FromHex(secret_hex);
  if (!secret) {
    std::cerr << "--secret: not hex\n";
    return 2;
  }
  auto tokens = ParseLotteryList(list);
  if (LotteryListText(tokens) != list)
    std::cout << "warning: the list is not in canonical form (sorted, LF after each line); its hash differs\n";
  auto order = LotteryShuffle(tokens, LotterySeed(*secret, public_value));
  std::cout << fmt::format("list sha256   {}\nsecret sha256 {}\nentries       {}\n", crypto::Sha256Hex(list),
                           crypto::Sha256Hex(*secret), tokens.size());
  for (std::int64_t i = 0; i < winners && i < static_cast<std::int64_t>(order.size()); ++i)
    std::cout << fmt::format("{:>4}  {}\n", i + 1, order[i]);
  std::cout << "(a winner disqualified at the check is replaced by the next line of the full order)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  crypto::Init();
  // Request lines are JSON objects of their own; the prefix keeps every line greppable by time and level.
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  CLI::App app{"Bookstamp: library circulation and the digital reading passbook"};
  app.require_subcommand(1);

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "run the HTTP API and the web app");
  serve_cmd->add_option("--data", serve.data, "data directory")->required();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT (port 0: any free port)");
  serve_cmd->add_option("--sip2", serve.sip2, "HOST:PORT for SIP2 (not yet available)");
  serve_cmd->add_option("--config", serve.config, "TOML configuration file")->check(CLI::ExistingFile);
  serve_cmd->add_option("--static", serve.static_dir, "the built web app (default: web/dist)");
  serve_cmd->add_flag("--test-clock", serve.test_clock, "tests only: PUT /api/v1/test/clock sets the time");

  auto* staff_cmd = app.add_subcommand("staff", "staff accounts");
  staff_cmd->require_subcommand(1);
  std::string data, username, password, role, branch;
  auto* staff_add = staff_cmd->add_subcommand("add", "add a staff account");
  staff_add->add_option("--data", data, "data directory")->required();
  staff_add->add_option("--username", username)->required();
  staff_add->add_option("--password", password)->required();
  staff_add->add_option("--role", role, "sysadmin|branch_admin|counter|auditor")->required();
  staff_add->add_option("--branch", branch, "branch code (none: all branches)");

  DemoOptions demo;
  auto* demo_cmd = app.add_subcommand("demo", "fill a data directory with a demo city");
  demo_cmd->add_option("--data", demo.data, "data directory")->required();
  demo_cmd->add_option("--patrons", demo.patrons, "number of patrons");
  demo_cmd->add_flag("--print-logins", demo.print_logins_only, "only print the demo logins");

  auto* audit_cmd = app.add_subcommand("audit", "the audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "walk the hash chain");
  audit_verify->add_option("--data", data, "data directory")->required();

  auto* ledger_cmd = app.add_subcommand("ledger", "the points ledger");
  ledger_cmd->require_subcommand(1);
  auto* ledger_verify = ledger_cmd->add_subcommand("verify", "prove every balance equals its entries");
  ledger_verify->add_option("--data", data, "data directory")->required();

  auto* lottery_cmd = app.add_subcommand("lottery", "verifiable lotteries");
  lottery_cmd->require_subcommand(1);
  std::string list_file, secret_hex, public_value;
  std::int64_t winners = 0;
  auto* lottery_verify = lottery_cmd->add_subcommand("verify", "recompute a published draw (docs/lottery.md)");
  lottery_verify->add_option("--list", list_file, "the published list file")->required()->check(CLI::ExistingFile);
  lottery_verify->add_option("--secret", secret_hex, "the revealed secret, hex")->required();
  lottery_verify->add_option("--public", public_value, "the public value, as published");
  lottery_verify->add_option("--winners", winners, "how many winners (sum of prize quantities)")->required()
      ->check(CLI::NonNegativeNumber);

  CLI11_PARSE(app, argc, argv);
  try {
    if (serve_cmd->parsed()) {
      if (!serve.sip2.empty()) {
        std::cerr << "--sip2: the SIP2 server is not available in this build yet\n";
        return 2;
      }
      return Serve(serve, argv[0]);
    }
    if (staff_add->parsed()) return StaffAdd(data, username, password, role, branch);
    if (demo_cmd->parsed()) return RunDemo(demo);
    if (lottery_verify->parsed()) return LotteryVerify(list_file, secret_hex, public_value, winners);
    if (audit_verify->parsed())
      return ReadOnly(data, [](SqlTx& tx) {
        auto v = VerifyAudit(tx);
        if (!v.ok) {
          std::cout << fmt::format("audit log BROKEN at entry {}: {}\n", *v.first_broken, v.reason);
          return 1;
        }
        // Every signed checkpoint must still match the chain: a rewritten history shows here.
        auto checkpoints = RecentCheckpoints(tx, 1000000);
        for (const auto& c : checkpoints) {
          if (auto why = CheckCheckpoint(tx, c); !why.empty()) {
            std::cout << fmt::format("audit checkpoint of entry {} (signed {}) FAILS: {}\n", c.seq, c.at, why);
            return 1;
          }
        }
        std::cout << fmt::format("audit log ok: {} entries, head {}, {} signed checkpoints verified\n", v.entries,
                                 v.head, checkpoints.size());
        return 0;
      });
    if (ledger_verify->parsed())
      return ReadOnly(data, [](SqlTx& tx) {
        auto v = VerifyLedger(tx);
        if (v.ok) {
          std::cout << fmt::format("ledger ok: {} cards, {} entries\n", v.cards, v.entries);
          return 0;
        }
        std::cout << fmt::format("ledger BROKEN: {}\n", v.reason);
        return 1;
      });
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "bookstamp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
