// SqliteStore: group commit on one writer thread, snapshot reads on a pool of reader threads.
#include "storage/sqlite/sqlite_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_tx.hpp"

namespace bookstamp {
namespace {

// The savepoint around each write job inside a group.
constexpr const char* kSavepoint = "SAVEPOINT bookstamp_job";
constexpr const char* kRelease = "RELEASE bookstamp_job";
constexpr const char* kRollbackTo = "ROLLBACK TO bookstamp_job";

SqliteStoreOptions Validated(SqliteStoreOptions options) {
  if (options.read_connections < 1) throw std::invalid_argument("SqliteStore: read_connections must be at least 1");
  if (options.max_group < 1) throw std::invalid_argument("SqliteStore: max_group must be at least 1");
  return options;
}

SqliteConnectionOptions ConnectionOptions(bool read_only, const SqliteStoreOptions& options) {
  return {.read_only = read_only,
          .use_wal = true,
          .busy_timeout = options.busy_timeout,
          .cache_kib = read_only ? 8 * 1024 : 16 * 1024};
}

void Finish(const Store::Done& done, std::exception_ptr error) {
  if (!done) return;
  try {
    done(std::move(error));
  } catch (const std::exception& e) {
    spdlog::error("store: a Done callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("store: a Done callback threw a non-standard exception");
  }
}

std::exception_ptr Closed() { return std::make_exception_ptr(StoreUnavailable("the store is closed")); }

std::string Describe(const std::exception_ptr& error) {
  if (!error) return "no error";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "a non-standard exception";
  }
}

// `error` as a StoreUnavailable (itself if it is one), its message prefixed by `context`.
std::exception_ptr AsUnavailable(const std::exception_ptr& error, std::string_view context) {
  try {
    std::rethrow_exception(error);
  } catch (const StoreUnavailable&) {
    return error;
  } catch (...) {
    return std::make_exception_ptr(StoreUnavailable(fmt::format("{}: {}", context, Describe(error))));
  }
}

void RollbackQuietly(SqliteConnection& db) {
  if (!db.InTransaction()) return;
  try {
    db.Exec("ROLLBACK");
  } catch (const std::exception& e) {
    spdlog::error("store: ROLLBACK failed: {}", e.what());
  }
}

// True when the open transaction holds a foreign key violation that is still unresolved (a DEFERRABLE
// INITIALLY DEFERRED reference): COMMIT would fail with it and take the whole group down.
bool HasUnresolvedForeignKeys(SqliteConnection& db) {
  int current = 0;
  int highwater = 0;
  sqlite3_db_status(db.get(), SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highwater, 0);
  return current > 0;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, SqliteStoreOptions options)
    : options_(Validated(options)), write_db_(path, ConnectionOptions(/*read_only=*/false, options)) {
  // Migrations run before any read connection exists, so readers only ever see a current schema.
  Migrate(write_db_);
  read_dbs_.reserve(static_cast<std::size_t>(options_.read_connections));
  for (int i = 0; i < options_.read_connections; ++i) {
    read_dbs_.emplace_back(path, ConnectionOptions(/*read_only=*/true, options));
  }
  try {
    writer_ = std::thread([this] { WriterLoop(); });
    for (SqliteConnection& db : read_dbs_) readers_.emplace_back([this, &db] { ReaderLoop(db); });
  } catch (...) {
    Close();
    throw;
  }
  thread_ids_.push_back(writer_.get_id());
  for (const std::thread& reader : readers_) thread_ids_.push_back(reader.get_id());
  spdlog::info("opened SQLite store {} ({} read connections, groups of up to {})", path, options_.read_connections,
               options_.max_group);
}

SqliteStore::~SqliteStore() {
  if (OnStoreThread()) {
    // Joining ourselves cannot work; this is a bug in the caller (the store's last owner released it
    // inside a job or a Done callback).
    spdlog::critical("SqliteStore destroyed on one of its own threads");
  }
  Close();
}

void SqliteStore::SubmitWrite(WriteJob job, Done done) {
  {
    std::lock_guard lock(write_mu_);
    if (!write_closing_) {
      write_queue_.push_back(WriteRequest{std::move(job), std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    Finish(done, Closed());
    return;
  }
  write_cv_.notify_one();
}

void SqliteStore::SubmitRead(ReadJob job, Done done) {
  {
    std::lock_guard lock(read_mu_);
    if (!read_closing_) {
      read_queue_.push_back(ReadRequest{std::move(job), std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    Finish(done, Closed());
    return;
  }
  read_cv_.notify_one();
}

void SqliteStore::Close() {
  if (OnStoreThread()) {
    throw std::logic_error("SqliteStore::Close called from a store thread: it would wait for itself");
  }
  std::lock_guard close_lock(close_mu_);
  {
    std::lock_guard lock(write_mu_);
    write_closing_ = true;
  }
  write_cv_.notify_all();
  {
    std::lock_guard lock(read_mu_);
    read_closing_ = true;
  }
  read_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  for (std::thread& reader : readers_) {
    if (reader.joinable()) reader.join();
  }
  // Readers first: the last connection to close checkpoints the WAL into the database file.
  for (SqliteConnection& db : read_dbs_) db.Close();
  write_db_.Close();
}

bool SqliteStore::OnStoreThread() const {
  return std::ranges::find(thread_ids_, std::this_thread::get_id()) != thread_ids_.end();
}

bool SqliteStore::TakeWrites(std::vector<WriteRequest>& batch) {
  std::unique_lock lock(write_mu_);
  write_cv_.wait(lock, [this] { return write_closing_ || !write_queue_.empty(); });
  if (write_queue_.empty()) return false;
  const auto n = std::min(write_queue_.size(), static_cast<std::size_t>(options_.max_group));
  for (std::size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(write_queue_.front()));
    write_queue_.pop_front();
  }
  return true;
}

bool SqliteStore::TakeRead(ReadRequest& request) {
  std::unique_lock lock(read_mu_);
  read_cv_.wait(lock, [this] { return read_closing_ || !read_queue_.empty(); });
  if (read_queue_.empty()) return false;
  request = std::move(read_queue_.front());
  read_queue_.pop_front();
  return true;
}

void SqliteStore::WriterLoop() {
  std::vector<WriteRequest> batch;
  batch.reserve(static_cast<std::size_t>(options_.max_group));
  while (TakeWrites(batch)) {
    std::span<WriteRequest> rest(batch);
    while (!rest.empty()) rest = rest.subspan(CommitGroup(rest));
    batch.clear();
  }
}

std::size_t SqliteStore::CommitGroup(std::span<WriteRequest> jobs) {
  std::vector<std::exception_ptr> errors(jobs.size());
  const auto finish = [&](std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) Finish(jobs[i].done, errors[i]);
    return count;
  };

  try {
    write_db_.Exec("BEGIN IMMEDIATE");
  } catch (...) {
    std::ranges::fill(errors, AsUnavailable(std::current_exception(), "cannot begin a write transaction"));
    return finish(jobs.size());
  }

  SqliteTx tx(write_db_);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    bool keep = false;
    try {
      write_db_.Exec(kSavepoint);
      keep = jobs[i].job(tx) == TxOutcome::kCommit;
      if (keep && HasUnresolvedForeignKeys(write_db_)) throw ConstraintViolation("FOREIGN KEY constraint failed");
    } catch (...) {
      errors[i] = std::current_exception();
      keep = false;
    }

    // Undo only this job; or, when SQLite already rolled back the whole transaction (disk full, I/O
    // error) or the savepoint cannot be ended, fail the jobs run so far and start a new group.
    std::exception_ptr group_failure;
    if (!write_db_.InTransaction()) {
      group_failure = std::make_exception_ptr(
          StoreUnavailable(fmt::format("SQLite rolled back the write transaction: {}", Describe(errors[i]))));
    } else {
      try {
        if (!keep) write_db_.Exec(kRollbackTo);
        write_db_.Exec(kRelease);
      } catch (...) {
        group_failure = AsUnavailable(std::current_exception(), "cannot end a job's savepoint");
      }
    }
    if (group_failure) {
      RollbackQuietly(write_db_);
      for (std::size_t j = 0; j < i; ++j) errors[j] = group_failure;
      if (!errors[i]) errors[i] = group_failure;
      return finish(i + 1);
    }
  }

  try {
    write_db_.Exec("COMMIT");
    groups_committed_.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    std::ranges::fill(errors, AsUnavailable(std::current_exception(), "commit failed"));
    RollbackQuietly(write_db_);
  }
  return finish(jobs.size());
}

void SqliteStore::ReaderLoop(SqliteConnection& db) {
  SqliteTx tx(db);
  ReadRequest request;
  while (TakeRead(request)) {
    std::exception_ptr error;
    try {
      SqliteTransaction snapshot(db, SqliteTransaction::Kind::kDeferred);
      request.job(tx);
      snapshot.Commit();
    } catch (...) {
      error = std::current_exception();
    }
    Finish(request.done, error);
    request = ReadRequest{};  // drops the job's captures now rather than at the next job
  }
}

std::unique_ptr<Store> OpenSqliteStore(const std::string& path, SqliteStoreOptions options) {
  return std::make_unique<SqliteStore>(path, options);
}

}  // namespace bookstamp
