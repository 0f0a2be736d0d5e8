// SqliteStore: the Store port over one SQLite file. One writer thread group-commits queued write jobs
// (BEGIN IMMEDIATE, a SAVEPOINT per job, one COMMIT); reader threads run read jobs on read-only
// connections. With `overlap_sync`, sync threads make each committed group durable (fdatasync of the
// WAL) and only then call its Done, while the writer already runs the next group; a checkpoint
// thread moves the WAL into the database file off the writer. See ARCHITECTURE.md "Runtime design" /
// "SQLite engine" and docs/BENCHMARKS.md.
//
//   auto store = OpenSqliteStore("DATA/bookstamp.db", {});
//   store->Write([](SqlTx& tx) { tx.Exec("UPDATE ..."); return TxOutcome::kCommit; });
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "app/ports/store.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace bookstamp {

struct SqliteStoreOptions {
  // Read connections, one reader thread each. At least 1.
  int read_connections = 4;
  // Most write jobs committed by one COMMIT. At least 1.
  int max_group = 64;
  // How long a connection waits for a lock held by another process before StoreUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // Durability without the writer waiting for the disk: the write connection commits with
  // synchronous=NORMAL, and a sync thread fdatasyncs the WAL before any Done of the group runs, so no
  // caller hears of a commit before it is on disk (what synchronous=FULL promises). Readers may see a
  // group a few ms before it is durable. False: synchronous=FULL on the writer, checkpoints in COMMIT.
  bool overlap_sync = true;
  // With overlap_sync: threads that sync the WAL. With two, a group committed while one fdatasync is
  // in flight starts its own at once instead of waiting for that one to end. At least 1.
  int sync_threads = 2;
  // With overlap_sync: WAL growth (pages) after which the checkpoint thread runs a PASSIVE checkpoint.
  // Small steps keep what is not yet copied into the database file short.
  int checkpoint_pages = 2000;
  // With overlap_sync: WAL size (pages) at which the writer starts the WAL over. A writer that never
  // pauses keeps the checkpoint thread from ever copying the last frames, so the writer copies them
  // itself between two groups (everything else waits meanwhile), once the checkpoint thread is idle:
  // then only the frames since its last run are left. Rare restarts of a WAL that stays allocated
  // (journal_size_limit is above it) keep those pauses out of the p99. At least checkpoint_pages.
  int wal_restart_pages = 30000;
  // The write and checkpoint connections sync the database file after writing its dirty pages back
  // in slices (paced_sync_vfs.hpp), so a checkpoint does not hold up the WAL syncs behind one burst.
  bool paced_checkpoint_sync = true;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if missing) and migrates the database at `path`, then starts the threads.
  // Throws StoreUnavailable when the file cannot be opened, std::runtime_error when its schema is
  // newer than this binary or a migration fails, std::invalid_argument for bad options.
  SqliteStore(const std::string& path, SqliteStoreOptions options);
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Calls Close().
  ~SqliteStore() override;

  // Both thread-safe. Done runs on a store thread once per job and must be quick (it delays the
  // jobs behind it); an exception it throws is logged and dropped. After Close() began, Done is
  // called at once, on the caller's thread, with StoreUnavailable.
  //
  // A write job's Done runs after the COMMIT of its group returned: error is null when the job's
  // changes are durable or it asked for kRollback; the job's exception if it threw (its changes
  // undone, the group unaffected); StoreUnavailable for every job of a group whose BEGIN or COMMIT
  // failed or that SQLite rolled back as a whole (disk full, I/O error). A deferred foreign key left
  // unresolved by a job counts as that job throwing ConstraintViolation.
  // REQUIRES: a job must not wait for another store job (the writer is a single thread), and must
  // not run BEGIN, COMMIT, ROLLBACK or RELEASE of the store's savepoint (its own savepoints are fine).
  void SubmitWrite(WriteJob job, Done done) override;
  // Each read job runs in its own BEGIN ... COMMIT: a consistent snapshot that sees every group
  // committed before it started. Writes from a read job fail (StoreUnavailable: read-only).
  void SubmitRead(ReadJob job, Done done) override;

  // Stops accepting jobs, runs and commits everything queued, joins the threads, closes the
  // connections. Idempotent and thread-safe.
  // REQUIRES: not called from a store thread (a job or a Done callback): std::logic_error.
  void Close() override;

  // Groups whose COMMIT succeeded (and, with overlap_sync, whose WAL frames were synced) so far; for
  // metrics and tests. Bumped before the group's Done callbacks run.
  std::uint64_t GroupsCommitted() const { return groups_committed_.load(std::memory_order_relaxed); }
  // Checkpoints run off the COMMIT (by the checkpoint thread, or by the writer between groups) and
  // fdatasync calls of the sync threads; for metrics.
  std::uint64_t Checkpoints() const { return checkpoints_.load(std::memory_order_relaxed); }
  std::uint64_t WalSyncs() const { return wal_syncs_.load(std::memory_order_relaxed); }
  // Time the writer thread spent in COMMIT statements so far.
  std::chrono::nanoseconds CommitTime() const {
    return std::chrono::nanoseconds(commit_ns_.load(std::memory_order_relaxed));
  }

 private:
  struct WriteRequest {
    WriteJob job;
    Done done;
  };
  struct ReadRequest {
    ReadJob job;
    Done done;
  };
  // A committed group waiting for its WAL frames to reach the disk.
  struct CommittedGroup {
    std::vector<Done> dones;
    std::vector<std::exception_ptr> errors;
  };

  void WriterLoop();
  void ReaderLoop(SqliteConnection& db);
  // Blocks for queued jobs; false once closing and the queue is empty.
  bool TakeWrites(std::vector<WriteRequest>& batch);
  bool TakeRead(ReadRequest& request);
  // Runs a prefix of `jobs` as one transaction and calls their Done; returns how many it took
  // (fewer than all only when SQLite ended the transaction early).
  std::size_t CommitGroup(std::span<WriteRequest> jobs);
  bool OnStoreThread() const;
  void SyncLoop();
  void CheckpointLoop();
  // Called by SQLite after each commit on the write connection with the WAL's size in pages.
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int pages);
  // fdatasync of the WAL through `fd`, a sync thread's own descriptor (reopened if SQLite replaced the
  // file); null or StoreUnavailable.
  std::exception_ptr SyncWal(int& fd);

  const SqliteStoreOptions options_;
  SqliteConnection write_db_;               // used by the writer thread only (and the constructor)
  std::vector<SqliteConnection> read_dbs_;  // read_dbs_[i] used by readers_[i] only
  std::atomic<std::uint64_t> groups_committed_{0};

  std::mutex write_mu_;
  std::condition_variable write_cv_;
  std::deque<WriteRequest> write_queue_;  // GUARDED_BY(write_mu_)
  bool write_closing_ = false;            // GUARDED_BY(write_mu_)

  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::deque<ReadRequest> read_queue_;  // GUARDED_BY(read_mu_)
  bool read_closing_ = false;           // GUARDED_BY(read_mu_)

  // overlap_sync only.
  std::string wal_path_;
  int wal_fd_ = -1;  // >= 0 when overlap_sync is on; set by the constructor, closed by Close
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::deque<CommittedGroup> sync_queue_;  // GUARDED_BY(sync_mu_)
  bool sync_closing_ = false;              // GUARDED_BY(sync_mu_)
  std::mutex ckpt_mu_;
  std::condition_variable ckpt_cv_;
  bool ckpt_wanted_ = false;   // GUARDED_BY(ckpt_mu_)
  bool ckpt_closing_ = false;  // GUARDED_BY(ckpt_mu_)
  std::atomic<bool> ckpt_running_{false};
  std::optional<SqliteConnection> ckpt_db_;  // used by the checkpoint thread only
  int next_checkpoint_at_ = 0;               // the writer thread only: WAL pages that wake the checkpointer
  int wal_pages_ = 0;                        // the writer thread only: the WAL's size after the last COMMIT
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> wal_syncs_{0};
  std::atomic<std::int64_t> commit_ns_{0};
  std::vector<std::thread> syncers_;
  std::thread checkpointer_;

  std::mutex close_mu_;  // serializes Close()
  std::thread writer_;
  std::vector<std::thread> readers_;
  std::vector<std::thread::id> thread_ids_;  // set by the constructor, then read-only
};

// The same as constructing a SqliteStore, behind the port.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path, SqliteStoreOptions options = {});

}  // namespace bookstamp
