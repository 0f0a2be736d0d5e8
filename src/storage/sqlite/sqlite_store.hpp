// SqliteStore: the Store port over one SQLite file. One writer thread group-commits queued write jobs
// (BEGIN IMMEDIATE, a SAVEPOINT per job, one COMMIT); reader threads run read jobs on read-only
// connections. See ARCHITECTURE.md "Runtime design" / "SQLite engine".
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

  // Groups whose COMMIT succeeded so far; for metrics and tests.
  std::uint64_t GroupsCommitted() const { return groups_committed_.load(std::memory_order_relaxed); }

 private:
  struct WriteRequest {
    WriteJob job;
    Done done;
  };
  struct ReadRequest {
    ReadJob job;
    Done done;
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

  std::mutex close_mu_;  // serializes Close()
  std::thread writer_;
  std::vector<std::thread> readers_;
  std::vector<std::thread::id> thread_ids_;  // set by the constructor, then read-only
};

// The same as constructing a SqliteStore, behind the port.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path, SqliteStoreOptions options = {});

}  // namespace bookstamp
