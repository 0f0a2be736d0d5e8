// SqliteStore: group commit on one writer thread, snapshot reads on a pool of reader threads.
#include "storage/sqlite/sqlite_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/paced_sync_vfs.hpp"
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
  if (options.sync_threads < 1) throw std::invalid_argument("SqliteStore: sync_threads must be at least 1");
  if (options.checkpoint_pages < 1) throw std::invalid_argument("SqliteStore: checkpoint_pages must be at least 1");
  if (options.wal_restart_pages < options.checkpoint_pages) {
    throw std::invalid_argument("SqliteStore: wal_restart_pages must be at least checkpoint_pages");
  }
  return options;
}

SqliteConnectionOptions ConnectionOptions(bool read_only, const SqliteStoreOptions& options) {
  return {.read_only = read_only,
          .use_wal = true,
          .busy_timeout = options.busy_timeout,
          .cache_kib = read_only ? 8 * 1024 : 16 * 1024,
          .vfs = !read_only && options.paced_checkpoint_sync ? PacedSyncVfs() : nullptr};
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
  if (options_.overlap_sync) {
    // The WAL exists once the database has been read in WAL mode (Migrate did). Without one, keep
    // synchronous=FULL and the checkpoints in COMMIT.
    wal_path_ = path + "-wal";
    wal_fd_ = ::open(wal_path_.c_str(), O_RDWR | O_CLOEXEC);
    if (wal_fd_ < 0) {
      spdlog::warn("store: cannot open {} ({}): commits wait for the disk on the writer", wal_path_,
                   std::strerror(errno));
    } else {
      // The WAL's directory entry must be durable too (FULL would sync the directory on creation).
      const auto slash = path.find_last_of('/');
      const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
      if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
      }
      ckpt_db_.emplace(path, ConnectionOptions(/*read_only=*/false, options));
      write_db_.ExecScript("PRAGMA synchronous=NORMAL");
      // Replaces the automatic checkpoint in COMMIT (sqlite3_wal_autocheckpoint is a wal hook too).
      sqlite3_wal_hook(write_db_.get(), &SqliteStore::OnWalCommit, this);
    }
  }
  read_dbs_.reserve(static_cast<std::size_t>(options_.read_connections));
  for (int i = 0; i < options_.read_connections; ++i) {
    read_dbs_.emplace_back(path, ConnectionOptions(/*read_only=*/true, options));
  }
  try {
    if (wal_fd_ >= 0) {
      for (int i = 0; i < options_.sync_threads; ++i) syncers_.emplace_back([this] { SyncLoop(); });
      checkpointer_ = std::thread([this] { CheckpointLoop(); });
    }
    writer_ = std::thread([this] { WriterLoop(); });
    for (SqliteConnection& db : read_dbs_) readers_.emplace_back([this, &db] { ReaderLoop(db); });
  } catch (...) {
    Close();
    throw;
  }
  thread_ids_.push_back(writer_.get_id());
  for (const std::thread& syncer : syncers_) thread_ids_.push_back(syncer.get_id());
  if (checkpointer_.joinable()) thread_ids_.push_back(checkpointer_.get_id());
  for (const std::thread& reader : readers_) thread_ids_.push_back(reader.get_id());
  spdlog::info("opened SQLite store {} ({} read connections, groups of up to {}, {})", path,
               options_.read_connections, options_.max_group,
               wal_fd_ >= 0 ? "WAL synced beside the writer" : "synchronous=FULL in COMMIT");
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
  // The writer has handed over its last group: the syncer finishes them, then stops.
  {
    std::lock_guard lock(sync_mu_);
    sync_closing_ = true;
  }
  sync_cv_.notify_all();
  for (std::thread& syncer : syncers_) {
    if (syncer.joinable()) syncer.join();
  }
  {
    std::lock_guard lock(ckpt_mu_);
    ckpt_closing_ = true;
  }
  ckpt_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  for (std::thread& reader : readers_) {
    if (reader.joinable()) reader.join();
  }
  // Readers first: the last connection to close checkpoints the WAL into the database file.
  for (SqliteConnection& db : read_dbs_) db.Close();
  if (ckpt_db_) ckpt_db_->Close();
  if (write_db_.get()) sqlite3_wal_hook(write_db_.get(), nullptr, nullptr);
  write_db_.Close();
  if (wal_fd_ >= 0) {
    ::close(wal_fd_);
    wal_fd_ = -1;
  }
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
    if (wal_pages_ >= options_.wal_restart_pages && !ckpt_running_.load(std::memory_order_acquire)) {
      // Between groups nothing is appended, so this one can finish and the next group starts the WAL
      // over; SQLITE_BUSY if the checkpoint thread started one meanwhile (tried after the next group).
      const int rc = sqlite3_wal_checkpoint_v2(write_db_.get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc == SQLITE_OK) checkpoints_.fetch_add(1, std::memory_order_relaxed);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        spdlog::warn("store: checkpoint failed: {}", sqlite3_errmsg(write_db_.get()));
      }
    }
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

  const auto commit_start = std::chrono::steady_clock::now();
  try {
    write_db_.Exec("COMMIT");
    commit_ns_.fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - commit_start).count(),
        std::memory_order_relaxed);
  } catch (...) {
    std::ranges::fill(errors, AsUnavailable(std::current_exception(), "commit failed"));
    RollbackQuietly(write_db_);
    return finish(jobs.size());
  }
  if (wal_fd_ < 0) {
    groups_committed_.fetch_add(1, std::memory_order_relaxed);
    return finish(jobs.size());
  }
  // Durable only once the sync thread has synced the WAL; the writer goes on with the next group.
  CommittedGroup group;
  group.dones.reserve(jobs.size());
  for (WriteRequest& request : jobs) group.dones.push_back(std::move(request.done));
  group.errors = std::move(errors);
  {
    std::lock_guard lock(sync_mu_);
    sync_queue_.push_back(std::move(group));
  }
  sync_cv_.notify_one();
  return jobs.size();
}

std::exception_ptr SqliteStore::SyncWal(int& fd) {
  // SQLite deletes the WAL only when the last connection closes, and the store holds its own; if
  // something replaced the file anyway, sync the new one.
  struct stat by_path {}, by_fd {};
  if (::stat(wal_path_.c_str(), &by_path) == 0 && ::fstat(fd, &by_fd) == 0 &&
      (by_path.st_ino != by_fd.st_ino || by_path.st_dev != by_fd.st_dev)) {
    if (int reopened = ::open(wal_path_.c_str(), O_RDWR | O_CLOEXEC); reopened >= 0) {
      ::close(fd);
      fd = reopened;
    }
  }
  wal_syncs_.fetch_add(1, std::memory_order_relaxed);
  if (::fdatasync(fd) == 0) return nullptr;
  const int err = errno;
  spdlog::critical("store: fdatasync of {} failed: {}", wal_path_, std::strerror(err));
  return std::make_exception_ptr(
      StoreUnavailable(fmt::format("the commit could not be made durable: {}", std::strerror(err))));
}

void SqliteStore::SyncLoop() {
  int fd = ::dup(wal_fd_);
  std::deque<CommittedGroup> groups;
  for (;;) {
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [this] { return sync_closing_ || !sync_queue_.empty(); });
      if (sync_queue_.empty()) break;
      groups.swap(sync_queue_);
    }
    // One fdatasync covers every group committed before it started.
    const std::exception_ptr sync_error =
        fd >= 0 ? SyncWal(fd)
                : std::make_exception_ptr(StoreUnavailable("the commit could not be made durable: no WAL descriptor"));
    for (CommittedGroup& group : groups) {
      groups_committed_.fetch_add(1, std::memory_order_relaxed);
      for (std::size_t i = 0; i < group.dones.size(); ++i) {
        Finish(group.dones[i], sync_error && !group.errors[i] ? sync_error : group.errors[i]);
      }
    }
    groups.clear();
  }
  if (fd >= 0) ::close(fd);
}

int SqliteStore::OnWalCommit(void* self, sqlite3*, const char*, int pages) {
  auto* store = static_cast<SqliteStore*>(self);
  const int step = store->options_.checkpoint_pages;
  store->wal_pages_ = pages;
  if (pages < step) store->next_checkpoint_at_ = step;  // the WAL started over
  // Past the restart size the writer checkpoints; the checkpoint thread stands aside so it finds it idle.
  if (pages >= store->next_checkpoint_at_ && pages < store->options_.wal_restart_pages) {
    // Once per `step` pages of growth, not after every commit while the WAL is large.
    store->next_checkpoint_at_ = pages + step;
    {
      std::lock_guard lock(store->ckpt_mu_);
      store->ckpt_wanted_ = true;
    }
    store->ckpt_cv_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteStore::CheckpointLoop() {
  for (;;) {
    {
      std::unique_lock lock(ckpt_mu_);
      ckpt_cv_.wait(lock, [this] { return ckpt_closing_ || ckpt_wanted_; });
      if (ckpt_closing_) return;
      ckpt_wanted_ = false;
      ckpt_running_.store(true, std::memory_order_release);
    }
    // PASSIVE: never blocks the writer or the readers. The checkpoint syncs the WAL before it copies
    // frames into the database file, so no frame reaches the file before it is durable in the WAL.
    int wal_pages = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(ckpt_db_->get(), "main", SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: checkpoint failed: {}", sqlite3_errmsg(ckpt_db_->get()));
    }
    ckpt_running_.store(false, std::memory_order_release);
    checkpoints_.fetch_add(1, std::memory_order_relaxed);
  }
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
