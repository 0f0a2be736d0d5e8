// The Store port: runs jobs in database transactions on the store's own threads.
#pragma once
#include <exception>
#include <functional>
#include <memory>

#include "app/ports/sql.hpp"

namespace bookstamp {

// What a write job asks for when it returns.
enum class TxOutcome { kCommit, kRollback };

class Store {
 public:
  using WriteJob = std::function<TxOutcome(SqlTx&)>;
  using ReadJob = std::function<void(SqlTx&)>;
  // Called once, on a store thread, after the job's transaction is durable (or rolled back);
  // `error` is set when the job threw or the commit failed.
  using Done = std::function<void(std::exception_ptr error)>;

  virtual ~Store() = default;

  // Queues a write. The job runs on the single writer thread inside its own savepoint; jobs are
  // committed in groups. kRollback or a throw undoes only this job's changes. Thread-safe.
  virtual void SubmitWrite(WriteJob job, Done done) = 0;

  // Queues a read on a read connection (a consistent snapshot). Thread-safe.
  virtual void SubmitRead(ReadJob job, Done done) = 0;

  // Blocking forms for the CLI and tests (never call from an I/O thread). They rethrow the job's error.
  void Write(WriteJob job);
  void Read(ReadJob job);

  // Stops accepting work, finishes and commits what is queued. Idempotent.
  virtual void Close() = 0;
};

}  // namespace bookstamp
