// bookstamp_sqlite_floor: the floor under the HTTP numbers. The checkout-shaped transaction written
// straight into SQLite by one thread with prepared statements — no HTTP, no JSON, no store queue —
// on a copy of a real Bookstamp database (the server's migrations made its schema, triggers and
// indexes), WAL, synchronous=FULL, the same pragmas as the server's connections.
//
//   bookstamp_sqlite_floor --db COPY.db --group 1|32 --seconds S --item-start K --item-count M [--cards N]
//                          [--pragmas "temp_store=MEMORY; ..."] [--no-savepoint]   (experiments)
//
// Per checkout: the reads (branch, policy, card, the card's open loans, item, the item's open loan,
// a hold trapping it, the card's hold on the title), the loan insert, one hash-chained audit insert
// and one ledger insert (+1 point; its triggers check and update the balance). Each checkout runs
// inside a SAVEPOINT, `--group` of them per BEGIN IMMEDIATE … COMMIT, as SqliteStore does.
// The last line is a tab-separated "ROW" record for run.sh.
#include <sqlite3.h>
#include <sys/resource.h>

#include <iostream>

#include "bench_util.hpp"

namespace {

using bench::Clock;
using bench::MsSince;

constexpr const char* kBranch = "BENCH";

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("prepare {}: {}", sql, sqlite3_errmsg(db)));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt& Text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Int(int i, long long v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  // Runs to completion; returns the number of rows. `first` receives the first row's columns 0 and 1.
  int Run(long long* first0 = nullptr, std::string* first1 = nullptr) {
    int rows = 0;
    for (;;) {
      int rc = sqlite3_step(s_);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_reset(s_);
        throw std::runtime_error(msg);
      }
      if (rows++ == 0) {
        if (first0) *first0 = sqlite3_column_int64(s_, 0);
        if (first1) {
          auto* t = sqlite3_column_text(s_, 1);
          *first1 = t ? reinterpret_cast<const char*>(t) : "";
        }
      }
    }
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return rows;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(fmt::format("{}: {}", sql, msg));
  }
}

// WAL pages appended per commit. Installing a hook replaces SQLite's auto-checkpoint hook, so this one
// checkpoints the same way (PASSIVE at 1,000 pages, the default).
struct WalStats {
  long long frames = 0;
  long long commits = 0;
  int last = 0;
};
int WalHook(void* arg, sqlite3* db, const char* name, int pages) {
  auto* s = static_cast<WalStats*>(arg);
  s->frames += pages >= s->last ? pages - s->last : pages;  // smaller: the WAL restarted from its start
  s->last = pages;
  ++s->commits;
  if (pages >= 1000) sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  return SQLITE_OK;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

std::string Day(std::chrono::system_clock::time_point t) {
  std::chrono::year_month_day ymd(std::chrono::floor<std::chrono::days>(t));
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

struct Statements {
  explicit Statements(sqlite3* db)
      : branch(db, "SELECT code, name, mobile_checkout, closed_weekdays FROM branches WHERE code = ?"),
        holidays(db, "SELECT day FROM branch_holidays WHERE branch = ?"),
        policy(db, "SELECT card_type, max_loans, loan_days, max_renewals, max_holds, earns_points FROM card_policy"),
        card(db,
             "SELECT number, patron_id, type, status, borrow_resumes_on, reserve_resumes_on, keep_history FROM cards "
             "WHERE number = ?"),
        card_loans(db,
                   "SELECT id, card, item_id, bib_id, branch, channel, checked_out_at, due_on, renewals, returned_at "
                   "FROM loans WHERE card = ? AND returned_at IS NULL ORDER BY due_on, id"),
        item(db, "SELECT id, bib_id, barcode, branch, loanable, item_type FROM items WHERE barcode = ?"),
        item_loan(db,
                  "SELECT id, card, item_id, bib_id, branch, channel, checked_out_at, due_on, renewals, returned_at "
                  "FROM loans WHERE item_id = ? AND returned_at IS NULL"),
        trapped(db,
                "SELECT id, card, bib_id, pickup_branch, status, placed_at, item_id, ready_on, pickup_by FROM holds "
                "WHERE item_id = ? AND status IN ('in_transit','ready')"),
        own_hold(db,
                 "SELECT id, card, bib_id, pickup_branch, status, placed_at, item_id, ready_on, pickup_by FROM holds "
                 "WHERE card = ? AND bib_id = ? AND status IN ('waiting','in_transit','ready')"),
        insert_loan(db,
                    "INSERT INTO loans(card, item_id, bib_id, branch, channel, checked_out_at, checkout_day, due_on) "
                    "VALUES (?,?,?,?,'counter',?,?,?) RETURNING id"),
        last_audit(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"),
        insert_audit(db,
                     "INSERT INTO audit_log(seq, at, actor, action, subject, details, prev_hash, hash) "
                     "VALUES (?,?,?,?,?,?,?,?)"),
        balance(db, "SELECT balance FROM point_balances WHERE card = ?"),
        insert_ledger(db,
                      "INSERT INTO ledger(card, at, day, kind, delta, balance_after, source_key, loan_id, branch) "
                      "VALUES (?,?,?,'loan',1,?,?,?,?) RETURNING id") {}
  Stmt branch, holidays, policy, card, card_loans, item, item_loan, trapped, own_hold, insert_loan, last_audit,
      insert_audit, balance, insert_ledger;
};

void CheckOut(Statements& s, long long j, long long cards) {
  const std::string card = fmt::format("BC{:06d}", j % cards);
  const std::string barcode = fmt::format("BI{:07d}", j);
  auto now_tp = std::chrono::system_clock::now();
  long long now = std::chrono::duration_cast<std::chrono::milliseconds>(now_tp.time_since_epoch()).count();
  std::string today = Day(now_tp);
  std::string due = Day(now_tp + std::chrono::days(28));

  if (s.branch.Text(1, kBranch).Run() != 1) throw std::runtime_error("no branch BENCH");
  s.holidays.Text(1, kBranch).Run();
  s.policy.Run();
  if (s.card.Text(1, card).Run() != 1) throw std::runtime_error("no card " + card);
  s.card_loans.Text(1, card).Run();
  long long item_id = 0;
  std::string bib_text;
  if (s.item.Text(1, barcode).Run(&item_id, &bib_text) != 1) throw std::runtime_error("no item " + barcode);
  long long bib_id = std::stoll(bib_text);
  if (s.item_loan.Int(1, item_id).Run() != 0) throw std::runtime_error("item already on loan " + barcode);
  s.trapped.Int(1, item_id).Run();
  s.own_hold.Text(1, card).Int(2, bib_id).Run();

  long long loan_id = 0;
  s.insert_loan.Text(1, card).Int(2, item_id).Int(3, bib_id).Text(4, kBranch).Int(5, now).Text(6, today).Text(7, due)
      .Run(&loan_id);

  long long seq = 0;
  std::string prev;
  if (s.last_audit.Run(&seq, &prev) == 0) prev = std::string(64, '0');
  ++seq;
  std::string at = fmt::format("{}Z", now);  // the server writes RFC 3339; the length hardly matters here
  std::string details = fmt::format(R"({{"branch":"{}","card":"{}","channel":"counter","due_on":"{}","item_id":{}}})",
                                    kBranch, card, due, item_id);
  std::string subject = fmt::format("loan:{}", loan_id);
  std::string entry =
      fmt::format(R"({{"action":"circulation.checkout","actor":"staff:bench-floor","at":"{}","details":{},"seq":{},"subject":"{}"}})",
                  at, details, seq, subject);
  std::string hash = bench::Sha256Hex(prev + "\n" + entry);
  s.insert_audit.Int(1, seq)
      .Text(2, at)
      .Text(3, "staff:bench-floor")
      .Text(4, "circulation.checkout")
      .Text(5, subject)
      .Text(6, details)
      .Text(7, prev)
      .Text(8, hash)
      .Run();

  long long balance = 0;
  s.balance.Text(1, card).Run(&balance);
  s.insert_ledger.Text(1, card)
      .Int(2, now)
      .Text(3, today)
      .Int(4, balance + 1)
      .Text(5, fmt::format("loan:{}", loan_id))
      .Int(6, loan_id)
      .Text(7, kBranch)
      .Run();
}

int Main(const bench::Flags& f) {
  const std::string path = f.Str("db");
  const int group = static_cast<int>(f.Int("group", 1));
  const double seconds = f.Num("seconds", 5);
  const long long item_start = f.Int("item-start");
  const long long item_end = item_start + f.Int("item-count");
  const long long cards = f.Int("cards", 5000);
  if (group < 1) throw std::invalid_argument("--group must be at least 1");

  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    throw std::runtime_error(fmt::format("open {}: {}", path, sqlite3_errmsg(db)));
  // The server's connection settings (storage/sqlite/sqlite_connection.cpp).
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=67108864; PRAGMA busy_timeout=5000");
  Exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384");
  // Experiments only: settings the server does not use, to see what they would change.
  const std::string extra = f.Str("pragmas", "");
  for (std::size_t at = 0; at < extra.size();) {
    auto end = extra.find(';', at);
    auto one = extra.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (one.find_first_not_of(' ') != std::string::npos) Exec(db, ("PRAGMA " + one).c_str());
    at = end == std::string::npos ? extra.size() : end + 1;
  }
  const bool savepoints = !f.Has("no-savepoint");
  WalStats wal;
  sqlite3_wal_hook(db, WalHook, &wal);
  int page_size = 4096;
  {
    Stmt ps(db, "PRAGMA page_size");
    long long v = 0;
    ps.Run(&v);
    page_size = static_cast<int>(v);
  }
  long long checkouts = 0;
  std::vector<double> commit_ms;
  double cpu0 = CpuSeconds();
  double elapsed_ms = 0;
  {
    Statements s(db);
    long long j = item_start;
    auto t0 = Clock::now();
    while (j + group <= item_end) {
      auto c0 = Clock::now();
      if (MsSince(t0, c0) >= seconds * 1000) break;
      Exec(db, "BEGIN IMMEDIATE");
      for (int k = 0; k < group; ++k, ++j) {
        if (savepoints) Exec(db, "SAVEPOINT bookstamp_job");
        CheckOut(s, j, cards);
        if (savepoints) Exec(db, "RELEASE bookstamp_job");
      }
      Exec(db, "COMMIT");
      checkouts += group;
      commit_ms.push_back(MsSince(c0, Clock::now()));
    }
    elapsed_ms = MsSince(t0, Clock::now());
  }
  double cpu_s = CpuSeconds() - cpu0;
  sqlite3_close_v2(db);

  auto p = bench::Summarize(commit_ms);
  double rate = static_cast<double>(checkouts) / (elapsed_ms / 1000);
  std::string label = group == 1 ? "SQLite floor, 1 checkout per commit" : fmt::format("SQLite floor, {} per commit", group);
  std::cout << fmt::format(
      "{}: {} checkouts in {} transactions, {:.1f} s: {:.0f} checkouts/s; transaction ms p50 {:.3f} p90 {:.3f} "
      "p99 {:.3f} max {:.3f}; on CPU {:.2f} s of {:.2f} s ({:.0f}%; the rest off CPU: fsync, or waiting for a core); "
      "{:.1f} WAL pages ({:.0f} KiB) per commit\n",
      label, checkouts, p.n, elapsed_ms / 1000, rate, p.p50, p.p90, p.p99, p.max, cpu_s, elapsed_ms / 1000,
      100 * cpu_s / (elapsed_ms / 1000), wal.commits ? static_cast<double>(wal.frames) / static_cast<double>(wal.commits) : 0,
      wal.commits ? static_cast<double>(wal.frames) * page_size / 1024 / static_cast<double>(wal.commits) : 0);
  std::cout << fmt::format("ROW\t{}\t1\t{}\t{:.1f}\t{:.0f}\t{:.2f}\t{:.2f}\t{:.2f}\t{:.2f}\t-\t{}\n", label, checkouts,
                           elapsed_ms / 1000, rate, p.p50, p.p90, p.p99, p.max,
                           group == 1 ? "latency = one transaction" : fmt::format("latency = one transaction of {}", group));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(bench::Flags(argc, argv, 1));
  } catch (const std::exception& e) {
    std::cerr << "bookstamp_sqlite_floor: " << e.what() << "\n";
    return 1;
  }
}
