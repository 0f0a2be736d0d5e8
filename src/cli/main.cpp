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
#include "app/cards.hpp"
#include "app/circulation.hpp"
#include "app/crypto.hpp"
#include "app/ledger.hpp"
#include "app/lottery.hpp"
#include "app/opening_balances.hpp"
#include "app/prizes.hpp"
#include "app/reminders.hpp"
#include "app/search.hpp"
#include "app/transparency.hpp"
#include "cli/config.hpp"
#include "cli/demo.hpp"
#include "cli/import.hpp"
#include "http/api/api.hpp"
#include "http/api/ops.hpp"
#include "http/server.hpp"
#include "notify/curl_push_transport.hpp"
#include "notify/dispatcher.hpp"
#include "notify/mime.hpp"
#include "notify/smtp_mailer.hpp"
#include "search/xapian_catalog_index.hpp"
#include "sip2/server.hpp"
#include "storage/sqlite/sqlite_backup.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fs = std::filesystem;
using namespace bookstamp;

namespace {

struct DataDir {
  fs::path root;
  fs::path db() const { return root / "bookstamp.db"; }
  fs::path secret() const { return root / "secret.key"; }
  fs::path search() const { return root / "search"; }
  fs::path backups() const { return root / "backups"; }
};

#ifndef BOOKSTAMP_VERSION
#define BOOKSTAMP_VERSION "dev"
#endif

// What a backup copy must pass besides SQLite's integrity_check: the audit chain and the ledger.
void VerifyBackupCopy(SqlTx& tx) {
  auto audit = VerifyAudit(tx);
  if (!audit.ok) throw std::runtime_error(fmt::format("audit log broken at entry {}: {}", *audit.first_broken, audit.reason));
  auto ledger = VerifyLedger(tx);
  if (!ledger.ok) throw std::runtime_error("ledger broken: " + ledger.reason);
}

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

// The server key itself (32 bytes), for keyed derivations such as notice Message-IDs.
std::string ServerKey(const DataDir& dir) {
  std::ifstream in(dir.secret(), std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != 32) throw std::runtime_error(dir.secret().string() + " must hold 32 bytes");
  return key;
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
  // Web Push's VAPID key: made on the first start, kept in the database (docs/operations.md).
  const auto vapid_key = notify::EnsureVapidKey(*store, clock, tz);
  boost::asio::thread_pool slow_pool(2);
  // The catalog index follows the catalog_changes journal within a second (ARCHITECTURE.md "Search index").
  search::XapianCatalogIndex catalog_index(DataDir{o.data}.search());
  CatalogIndexer indexer(*store, catalog_index, [](const std::string& e) { spdlog::error("search indexer: {}", e); });
  // HTTP and SIP2 store jobs are counted for /metrics (docs/operations.md "Metrics").
  http::MeteredStore metered(*store);
  http::OpsHooks ops;
  ops.metrics_token = config.metrics_token;
  ops.allow_loopback = config.metrics_loopback;
  ops.version = BOOKSTAMP_VERSION;
  ops.store_metrics = [&](std::string& out) {
    metered.AppendText(out);
    out += "# HELP bookstamp_store_groups_committed_total Write groups committed by the SQLite writer.\n";
    out += "# TYPE bookstamp_store_groups_committed_total counter\n";
    out += fmt::format("bookstamp_store_groups_committed_total {}\n", store->GroupsCommitted());
  };
  ops.backup = [&] {
    DataDir dir{o.data};
    auto copy = BackupSqliteInto(dir.db().string(), dir.backups().string(), clock.Now(), VerifyBackupCopy);
    // The server key goes with the database (codes signed before a restore still verify).
    if (std::error_code ec; !fs::exists(dir.backups() / "secret.key"))
      fs::copy_file(dir.secret(), dir.backups() / "secret.key", ec);
    return http::BackupFile{fs::path(copy.path).filename().string(), copy.bytes};
  };
  http::ApiDeps deps{metered, clock, tz, o.test_clock ? &test_clock : nullptr, &slow_pool, &catalog_index};
  deps.ops = &ops;
  deps.webauthn_rp_id = config.webauthn_rp_id;
  deps.webauthn_origins = config.webauthn_origins;
  deps.push_allow_local_endpoints = config.push_allow_local_endpoints;
  deps.card_barcode = config.card_barcode;
  http::Router router;
  http::AddApiRoutes(router, deps);
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.static_dir = FindStaticDir(o.static_dir, argv0);
  options.metrics = http::MetricsHandler(deps, router.metrics());
  http::Server server(options, std::move(router));
  auto bound = server.Start();
  std::cout << fmt::format("bookstamp listening on http://{}:{}", host, bound) << std::endl;
  if (o.test_clock) spdlog::warn("--test-clock is on: PUT /api/v1/test/clock moves time. Never in production.");

  // SIP2 (--sip2, docs/sip2.md): its own io_context and thread; stopped before the store closes.
  std::unique_ptr<sip2::Deps> sip2_deps;
  std::unique_ptr<sip2::Server> sip2_server;
  if (!o.sip2.empty()) {
    auto [sip2_host, sip2_port] = ParseListen(o.sip2);
    std::vector<sip2::Account> accounts;
    for (const auto& a : config.sip2_accounts)
      accounts.push_back({a.username, a.password, a.branch,
                          a.charset == "cp850" ? sip2::Charset::kCp850 : sip2::Charset::kUtf8, a.error_detection,
                          a.no_login_from});
    if (accounts.empty()) spdlog::warn("--sip2 without [[sip2.accounts]] in the config: no kiosk can log in");
    sip2_deps = std::make_unique<sip2::Deps>(sip2::Deps{metered, clock, tz, slow_pool, std::move(accounts)});
    sip2::ServerOptions sip2_options;
    sip2_options.host = sip2_host;
    sip2_options.port = sip2_port;
    sip2_server = std::make_unique<sip2::Server>(sip2_options, *sip2_deps);
    auto sip2_bound = sip2_server->Start();
    std::cout << fmt::format("bookstamp SIP2 listening on {}:{}", sip2_host, sip2_bound) << std::endl;
  }

  // Sweeper: expired holds (no-shows), expired redemption codes (refund, stock back), and keys
  // and sessions past their time. Reads already treat expired things as expired meanwhile.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  auto checkpoint_seed = CheckpointSeed(DataDir{o.data});
  std::thread sweeper([&] {
    Env env{clock, tz};
    std::optional<Date> reminders_day;
    Instant reminders_at{};
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
          ForgetErasedTitlesBefore(tx, env.Today());
          SignCheckpointIfDue(tx, env, checkpoint_seed);
          return TxOutcome::kCommit;
        });
        // Reminders and the daily digest (their own transaction): at once on a new local day, else
        // every 5 minutes.
        if (!reminders_day || *reminders_day != env.Today() || env.Now() - reminders_at >= std::chrono::minutes(5)) {
          store->Write([&](SqlTx& tx) {
            QueueReminders(tx, env);
            return TxOutcome::kCommit;
          });
          reminders_day = env.Today();
          reminders_at = env.Now();
        }
      } catch (const std::exception& e) {
        spdlog::error("sweeper: {}", e.what());
      }
      lock.lock();
    }
  });

  // Outbox: the mail dispatcher, when [smtp] is configured (ARCHITECTURE.md "Outbox").
  std::unique_ptr<notify::SmtpMailer> mailer;
  std::unique_ptr<notify::Dispatcher> dispatcher;
  std::thread mail_thread;
  if (config.smtp) {
    mailer = std::make_unique<notify::SmtpMailer>(*config.smtp, clock);
    notify::DispatcherOptions dispatch;
    dispatch.server_key = ServerKey(DataDir{o.data});
    dispatch.message_id_domain = notify::AddressDomain(config.smtp->from);
    dispatch.retry_base = config.mail_retry_base;
    dispatch.retry_max = config.mail_retry_max;
    dispatch.lease = config.mail_lease;
    dispatcher = std::make_unique<notify::Dispatcher>(*store, clock, *mailer, dispatch);
    spdlog::info("mail: sending notices through {}:{} ({})", config.smtp->host, config.smtp->port, config.smtp->tls);
    mail_thread = std::thread([&] {
      std::unique_lock lock(mu);
      while (!cv.wait_for(lock, config.mail_poll, [&] { return stopping; })) {
        lock.unlock();
        try {
          // Drain what is due before waiting again.
          while (dispatcher->RunOnce() > 0) {
          }
        } catch (const std::exception& e) {
          spdlog::error("mail dispatcher: {}", e.what());
        }
        lock.lock();
      }
    });
  }

  // Web Push delivery to subscribed browsers ([push] enabled = false pauses it).
  std::unique_ptr<notify::CurlPushTransport> push_transport;
  std::unique_ptr<notify::PushDispatcher> push_dispatcher;
  std::thread push_thread;
  if (config.push_enabled) {
    push_transport = std::make_unique<notify::CurlPushTransport>(config.push_timeout_seconds, config.push_allow_local_endpoints);
    push_dispatcher = std::make_unique<notify::PushDispatcher>(*store, clock, *push_transport, vapid_key, config.push);
    spdlog::info("push: sending notices to subscribed browsers (VAPID subject {})", config.push.subject);
    push_thread = std::thread([&] {
      std::unique_lock lock(mu);
      while (!cv.wait_for(lock, config.push_poll, [&] { return stopping; })) {
        lock.unlock();
        try {
          while (push_dispatcher->RunOnce() > 0) {
          }
        } catch (const std::exception& e) {
          spdlog::error("push dispatcher: {}", e.what());
        }
        lock.lock();
      }
    });
  }

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
  if (mail_thread.joinable()) mail_thread.join();
  if (push_thread.joinable()) push_thread.join();
  // Wake the signal thread if the server stopped for another reason.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  indexer.Stop();
  // The SIP2 server stops first; it stays alive until the store has answered its last jobs.
  if (sip2_server) sip2_server->Stop();
  // A PIN check still running on the pool resumes onto the (stopped) SIP2 io_context: let it
  // finish while that io_context is alive.
  slow_pool.join();
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

// bookstamp backup: a verified online copy, safe while the server runs (docs/operations.md "Backup").
int RunBackup(const std::string& data, const std::string& out) {
  if (!fs::exists(DataDir{data}.db())) {
    std::cerr << "no database at " << DataDir{data}.db() << "\n";
    return 2;
  }
  auto copy = BackupSqliteVerified(DataDir{data}.db().string(), out, VerifyBackupCopy);
  std::cout << fmt::format("backup ok: {} ({} bytes; integrity, audit chain and ledger verified)\n", copy.path,
                           copy.bytes);
  return 0;
}

int ImportBalances(const std::string& data, const std::string& file) {
  TimeZone tz(Config{}.timezone);
  RealClock clock;
  Env env{clock, tz};
  auto store = OpenData(DataDir{data}, Config{}, clock, tz);
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto name = fs::path(file).filename().string();
  auto rows = ParseOpeningCsv(text, name);
  Result<OpeningSummary> result = Fail(ErrorCode::kUnavailable);
  store->Write([&](SqlTx& tx) {
    result = ImportOpeningBalances(tx, env, Actor::System("cli"), rows, name);
    return result ? TxOutcome::kCommit : TxOutcome::kRollback;
  });
  if (!result) {
    std::cerr << "import balances: " << ToString(result.error().code) << "\n";
    return 1;
  }
  for (const auto& p : result->problems) std::cerr << p << "\n";
  std::cout << fmt::format("opening balances: {} cards credited ({} points), {} already migrated, {} refused\n",
                           result->credited, result->points, result->already, result->problems.size());
  return result->problems.empty() ? 0 : 1;
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
  serve_cmd->add_option("--sip2", serve.sip2, "HOST:PORT for SIP2 kiosks (accounts in --config)");
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
  std::string backup_out;
  auto* backup_cmd = app.add_subcommand("backup", "verified online backup of the database (server may run)");
  backup_cmd->add_option("--data", data, "data directory")->required();
  backup_cmd->add_option("--out", backup_out, "the backup file to write")->required();

  auto* import_cmd = app.add_subcommand("import", "import records into a data directory");
  import_cmd->require_subcommand(1);
  ImportMarcOptions import_marc;
  std::vector<std::string> branch_maps;
  std::string default_branch;
  auto* import_marc_cmd = import_cmd->add_subcommand("marc", "MARC 21 records (ISO 2709 or MARCXML; MARC-8 or UTF-8)");
  import_marc_cmd->add_option("--data", data, "data directory")->required();
  import_marc_cmd->add_option("files", import_marc.files, "MARC files")->required()->check(CLI::ExistingFile);
  import_marc_cmd->add_flag("--create-branches", import_marc.create_branches, "add branches named in copies that do not exist");
  import_marc_cmd->add_option("--branch-map", branch_maps, "FROM=TO: copies at branch FROM go to TO (repeatable)");
  import_marc_cmd->add_option("--default-branch", default_branch, "branch for copies whose branch is unknown");
  import_marc_cmd->add_option("--batch", import_marc.batch, "records per transaction")->check(CLI::Range(1, 100000));
  import_marc_cmd->add_option("--report", import_marc.report, "write every refused or ignored record to this CSV file");
  ImportPatronsOptions import_patrons;
  auto* import_patrons_cmd = import_cmd->add_subcommand("patrons", "patrons from CSV: name,email,card,type,pin");
  import_patrons_cmd->add_option("--data", data, "data directory")->required();
  import_patrons_cmd->add_option("file", import_patrons.file, "CSV file")->required()->check(CLI::ExistingFile);
  import_patrons_cmd->add_flag("--update-pins", import_patrons.update_pins, "also set the PIN of cards that exist");
  import_patrons_cmd->add_option("--report", import_patrons.report, "write every refused row to this CSV file");

  std::string balances_file;
  auto* import_balances_cmd =
      import_cmd->add_subcommand("balances", "one-time opening balances from a previous system: card,points");
  import_balances_cmd->add_option("--data", data, "data directory")->required();
  import_balances_cmd->add_option("file", balances_file, "CSV file")->required()->check(CLI::ExistingFile);

  auto* reindex_cmd = app.add_subcommand("reindex", "rebuild the catalog search index from the database");
  reindex_cmd->add_option("--data", data, "data directory")->required();

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
    if (import_marc_cmd->parsed() || import_patrons_cmd->parsed() || reindex_cmd->parsed()) {
      TimeZone tz(Config{}.timezone);
      RealClock clock;
      Env env{clock, tz};
      auto store = OpenData(DataDir{data}, Config{}, clock, tz);
      int rc = 0;
      if (import_marc_cmd->parsed()) {
        for (const auto& m : branch_maps) import_marc.branch_map.insert(ParseBranchMapping(m));
        if (!default_branch.empty()) import_marc.default_branch = default_branch;
        rc = RunImportMarc(*store, env, DataDir{data}.search(), import_marc);
      } else if (import_patrons_cmd->parsed()) {
        rc = RunImportPatrons(*store, env, import_patrons);
      } else {
        rc = RunReindex(*store, DataDir{data}.search());
      }
      store->Close();
      return rc;
    }
    if (serve_cmd->parsed()) {
      return Serve(serve, argv[0]);
    }
    if (staff_add->parsed()) return StaffAdd(data, username, password, role, branch);
    if (demo_cmd->parsed()) return RunDemo(demo);
    if (import_balances_cmd->parsed()) return ImportBalances(data, balances_file);
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
    if (backup_cmd->parsed()) return RunBackup(data, backup_out);
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
