// Tests of SqliteStore: group commit, savepoint isolation of jobs, snapshot reads, Close, errors.
#include "storage/sqlite/sqlite_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "storage/sqlite/paced_sync_vfs.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp {
namespace {

using testing::DoneWaiter;
using ::testing::HasSubstr;
using testing::Rethrow;
using ::testing::ThrowsMessage;
using testing::WriterGate;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void Open(SqliteStoreOptions options = {}) { store_ = std::make_unique<SqliteStore>(path_, options); }

  // Runs `sql` (no parameters) as one write.
  void WriteSql(const std::string& sql) {
    store_->Write([&](SqlTx& tx) {
      tx.Exec(sql);
      return TxOutcome::kCommit;
    });
  }
  std::int64_t ReadInt(const std::string& sql) {
    std::int64_t value = 0;
    store_->Read([&](SqlTx& tx) { value = tx.QueryOne(sql)->Int(0); });
    return value;
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.File("bookstamp.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, CommittedWriteIsVisibleToARead) {
  Open();
  WriteSql("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)");
  store_->Write([](SqlTx& tx) {
    tx.Exec("INSERT INTO t VALUES (?, ?)", {"借書證", std::int64_t{3}});
    return TxOutcome::kCommit;
  });
  std::optional<SqlRow> row;
  store_->Read([&](SqlTx& tx) { row = tx.QueryOne("SELECT n FROM t WHERE k = ?", {"借書證"}); });
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Int(0), 3);
}

TEST_F(SqliteStoreTest, BlockingWriteAndReadRethrowTheJobsException) {
  Open();
  EXPECT_THAT([&] { store_->Write([](SqlTx&) -> TxOutcome { throw std::runtime_error("boom"); }); },
              ThrowsMessage<std::runtime_error>("boom"));
  EXPECT_THAT([&] { store_->Read([](SqlTx&) { throw std::invalid_argument("no such card"); }); },
              ThrowsMessage<std::invalid_argument>("no such card"));
}

TEST_F(SqliteStoreTest, ConstraintViolationSurfacesAsConstraintViolation) {
  Open();
  WriteSql("CREATE TABLE t (k TEXT PRIMARY KEY)");
  WriteSql("INSERT INTO t VALUES ('a')");
  EXPECT_THAT([&] { WriteSql("INSERT INTO t VALUES ('a')"); },
              ThrowsMessage<ConstraintViolation>(HasSubstr("UNIQUE constraint failed: t.k")));
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), 1);
}

TEST_F(SqliteStoreTest, RolledBackAndThrowingJobsLeaveTheRestOfTheirGroupCommitted) {
  Open();
  WriteSql("CREATE TABLE t (k INTEGER PRIMARY KEY)");
  const std::uint64_t groups_before = store_->GroupsCommitted();
  DoneWaiter waiter;
  {
    WriterGate gate(*store_);
    // Four threads queue 40 jobs behind the gate: they become one group. Job k inserts k, then:
    // k%4 == 0 commits, 1 asks for rollback, 2 throws, 3 violates the primary key.
    constexpr int kThreads = 4;
    constexpr int kPerThread = 10;
    std::vector<std::jthread> submitters;
    for (int t = 0; t < kThreads; ++t) {
      submitters.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::int64_t k = t * kPerThread + i;
          store_->SubmitWrite(
              [k](SqlTx& tx) {
                tx.Exec("INSERT INTO t VALUES (?)", {k});
                switch (k % 4) {
                  case 1:
                    return TxOutcome::kRollback;
                  case 2:
                    throw std::runtime_error("job " + std::to_string(k));
                  case 3:
                    tx.Exec("INSERT INTO t VALUES (?)", {k});
                    break;
                }
                return TxOutcome::kCommit;
              },
              waiter.Callback(static_cast<std::size_t>(k)));
        }
      });
    }
    submitters.clear();  // joins
    gate.Open();
  }
  ASSERT_TRUE(waiter.WaitFor(40));
  EXPECT_EQ(store_->GroupsCommitted(), groups_before + 2);  // the gate's group, then all 40 together

  std::set<std::int64_t> committed;
  store_->Read([&](SqlTx& tx) {
    for (const SqlRow& row : tx.Query("SELECT k FROM t")) committed.insert(row.Int(0));
  });
  std::set<std::int64_t> expected;
  for (std::int64_t k = 0; k < 40; k += 4) expected.insert(k);
  EXPECT_EQ(committed, expected);
  for (std::size_t k = 0; k < 40; ++k) {
    SCOPED_TRACE(k);
    switch (k % 4) {
      case 0:
      case 1:
        EXPECT_EQ(waiter.Error(k), nullptr);
        break;
      case 2:
        EXPECT_THAT([&] { Rethrow(waiter.Error(k)); }, ThrowsMessage<std::runtime_error>("job " + std::to_string(k)));
        break;
      case 3:
        EXPECT_THROW(Rethrow(waiter.Error(k)), ConstraintViolation);
        break;
    }
  }
}

TEST_F(SqliteStoreTest, DoneRunsAfterTheWholeGroupIsCommitted) {
  Open();
  WriteSql("CREATE TABLE t (k INTEGER PRIMARY KEY)");
  // Used only inside Done callbacks, which all run on the writer thread.
  SqliteConnection observer(path_, {.read_only = true});
  constexpr std::int64_t kJobs = 20;
  DoneWaiter waiter;
  std::atomic<int> saw_whole_group{0};
  {
    WriterGate gate(*store_);
    for (std::int64_t k = 0; k < kJobs; ++k) {
      store_->SubmitWrite(
          [k](SqlTx& tx) {
            tx.Exec("INSERT INTO t VALUES (?)", {k});
            return TxOutcome::kCommit;
          },
          [&, done = waiter.Callback(static_cast<std::size_t>(k))](std::exception_ptr error) {
            if (observer.Query("SELECT count(*) FROM t").at(0).Int(0) == kJobs) ++saw_whole_group;
            done(error);
          });
    }
    gate.Open();
  }
  ASSERT_TRUE(waiter.WaitFor(kJobs));
  EXPECT_EQ(waiter.Failures(), 0u);
  EXPECT_EQ(saw_whole_group.load(), kJobs);
}

TEST_F(SqliteStoreTest, GroupsHoldAtMostMaxGroupJobs) {
  Open({.read_connections = 1, .max_group = 4});
  WriteSql("CREATE TABLE t (k INTEGER)");
  const std::uint64_t groups_before = store_->GroupsCommitted();
  DoneWaiter waiter;
  {
    WriterGate gate(*store_);
    for (std::int64_t k = 0; k < 10; ++k) {
      store_->SubmitWrite(
          [k](SqlTx& tx) {
            tx.Exec("INSERT INTO t VALUES (?)", {k});
            return TxOutcome::kCommit;
          },
          waiter.Callback(static_cast<std::size_t>(k)));
    }
    gate.Open();
  }
  ASSERT_TRUE(waiter.WaitFor(10));
  EXPECT_EQ(store_->GroupsCommitted(), groups_before + 1 + 3);  // the gate, then 4 + 4 + 2
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), 10);
}

TEST_F(SqliteStoreTest, DeferredForeignKeyViolationFailsOnlyItsJob) {
  Open();
  WriteSql("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  WriteSql("CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
  const char* const jobs[] = {
      "INSERT INTO child VALUES (1)",  // resolved by the next statement of the same job
      "INSERT INTO child VALUES (2)",  // never resolved
      "INSERT INTO parent VALUES (3)",
  };
  DoneWaiter waiter;
  {
    WriterGate gate(*store_);
    for (std::size_t i = 0; i < 3; ++i) {
      store_->SubmitWrite(
          [sql = jobs[i]](SqlTx& tx) {
            tx.Exec(sql);
            tx.Exec("INSERT OR IGNORE INTO parent VALUES (1)");
            return TxOutcome::kCommit;
          },
          waiter.Callback(i));
    }
    gate.Open();
  }
  ASSERT_TRUE(waiter.WaitFor(3));
  EXPECT_EQ(waiter.Error(0), nullptr);
  EXPECT_THAT([&] { Rethrow(waiter.Error(1)); }, ThrowsMessage<ConstraintViolation>("FOREIGN KEY constraint failed"));
  EXPECT_EQ(waiter.Error(2), nullptr);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM child"), 1);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM parent"), 2);
}

// SQLite ends the whole transaction on some errors (disk full, I/O error); a job running ROLLBACK
// (which the contract forbids) stands in for that here.
TEST_F(SqliteStoreTest, LostTransactionFailsTheJobsBeforeItAndTheRestRunInANewGroup) {
  Open();
  WriteSql("CREATE TABLE t (k INTEGER)");
  const std::uint64_t groups_before = store_->GroupsCommitted();
  DoneWaiter waiter;
  {
    WriterGate gate(*store_);
    for (std::int64_t k = 0; k < 4; ++k) {
      store_->SubmitWrite(
          [k](SqlTx& tx) {
            tx.Exec("INSERT INTO t VALUES (?)", {k});
            if (k == 1) tx.Exec("ROLLBACK");
            return TxOutcome::kCommit;
          },
          waiter.Callback(static_cast<std::size_t>(k)));
    }
    gate.Open();
  }
  ASSERT_TRUE(waiter.WaitFor(4));
  for (std::size_t k : {0u, 1u}) {
    SCOPED_TRACE(k);
    EXPECT_THAT([&] { Rethrow(waiter.Error(k)); },
                ThrowsMessage<StoreUnavailable>(HasSubstr("SQLite rolled back the write transaction")));
  }
  EXPECT_EQ(waiter.Error(2), nullptr);
  EXPECT_EQ(waiter.Error(3), nullptr);
  EXPECT_EQ(store_->GroupsCommitted(), groups_before + 2);  // the gate's, then jobs 2 and 3
  EXPECT_EQ(ReadInt("SELECT group_concat(k) = '2,3' FROM t"), 1);
}

// SQLite 3.40 answers SQLITE_FULL in a statement by rolling back the whole transaction.
TEST_F(SqliteStoreTest, DiskFullFailsTheGroupSoFarAndTheJobsAfterItCommit) {
  Open();
  WriteSql("CREATE TABLE t (k INTEGER, filler BLOB)");
  DoneWaiter waiter;
  {
    WriterGate gate(*store_);
    for (std::int64_t k = 0; k < 3; ++k) {
      store_->SubmitWrite(
          [k](SqlTx& tx) {
            // A page limit just above the current size makes job 1's big insert fail with SQLITE_FULL.
            const std::int64_t pages = tx.QueryOne("PRAGMA page_count")->Int(0);
            tx.Query("PRAGMA max_page_count = " + std::to_string(pages + 2));
            const std::int64_t size = k == 1 ? 1'000'000 : 10;
            tx.Exec("INSERT INTO t VALUES (?, zeroblob(?))", {k, size});
            return TxOutcome::kCommit;
          },
          waiter.Callback(static_cast<std::size_t>(k)));
    }
    gate.Open();
  }
  ASSERT_TRUE(waiter.WaitFor(3));
  EXPECT_THAT([&] { Rethrow(waiter.Error(0)); },
              ThrowsMessage<StoreUnavailable>(HasSubstr("SQLite rolled back the write transaction")));
  EXPECT_THAT([&] { Rethrow(waiter.Error(1)); }, ThrowsMessage<StoreUnavailable>(HasSubstr("disk is full")));
  EXPECT_EQ(waiter.Error(2), nullptr);
  EXPECT_EQ(ReadInt("SELECT group_concat(k) = '2' FROM t"), 1);
}

TEST_F(SqliteStoreTest, EightThreadsOfFiveHundredIncrementsCountExactly4000) {
  Open();
  WriteSql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  WriteSql("INSERT INTO counter VALUES (1, 0)");
  constexpr int kThreads = 8;
  constexpr int kIncrements = 500;
  DoneWaiter waiter;
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kIncrements; ++i) {
          store_->SubmitWrite(
              [](SqlTx& tx) {
                tx.Exec("UPDATE counter SET n = n + 1 WHERE id = 1");
                return TxOutcome::kCommit;
              },
              waiter.Callback(static_cast<std::size_t>(t * kIncrements + i)));
        }
      });
    }
  }
  ASSERT_TRUE(waiter.WaitFor(kThreads * kIncrements));
  EXPECT_EQ(waiter.Failures(), 0u);
  EXPECT_EQ(ReadInt("SELECT n FROM counter WHERE id = 1"), kThreads * kIncrements);
}

TEST_F(SqliteStoreTest, CloseRunsAndCommitsEveryQueuedJob) {
  Open();
  WriteSql("CREATE TABLE t (k INTEGER)");
  constexpr std::int64_t kJobs = 100;
  DoneWaiter waiter;
  {
    WriterGate gate(*store_);
    for (std::int64_t k = 0; k < kJobs; ++k) {
      store_->SubmitWrite(
          [k](SqlTx& tx) {
            tx.Exec("INSERT INTO t VALUES (?)", {k});
            return TxOutcome::kCommit;
          },
          waiter.Callback(static_cast<std::size_t>(k)));
    }
    std::jthread closer([&] { store_->Close(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let Close start while all are queued
    gate.Open();
  }                                                                  // joins the closer
  EXPECT_TRUE(waiter.WaitFor(kJobs, std::chrono::milliseconds(0)));  // Close returned after every Done
  EXPECT_EQ(waiter.Failures(), 0u);

  store_.reset();
  Open();
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), kJobs);
}

TEST_F(SqliteStoreTest, JobsSubmittedAfterCloseGetStoreUnavailable) {
  Open();
  store_->Close();
  store_->Close();  // idempotent
  bool ran = false;
  EXPECT_THAT(
      [&] {
        store_->Write([&](SqlTx&) {
          ran = true;
          return TxOutcome::kCommit;
        });
      },
      ThrowsMessage<StoreUnavailable>("the store is closed"));
  EXPECT_THAT([&] { store_->Read([&](SqlTx&) { ran = true; }); },
              ThrowsMessage<StoreUnavailable>("the store is closed"));
  EXPECT_FALSE(ran);
}

TEST_F(SqliteStoreTest, ReadsNeverSeeAHalfAppliedJob) {
  Open({.read_connections = 2, .max_group = 4});  // small groups: many commits for reads to fall between
  WriteSql("CREATE TABLE account (id TEXT PRIMARY KEY, balance INTEGER NOT NULL)");
  WriteSql("INSERT INTO account VALUES ('a', 1000), ('b', 0)");
  constexpr int kTransfers = 300;
  DoneWaiter waiter;
  std::atomic<bool> writes_done{false};
  std::atomic<int> reads{0};
  std::atomic<int> torn{0};
  WriterGate gate(*store_);
  // Each transfer moves 1 from a to b in two statements; every third one throws in between.
  for (int k = 0; k < kTransfers; ++k) {
    store_->SubmitWrite(
        [k](SqlTx& tx) {
          tx.Exec("UPDATE account SET balance = balance - 1 WHERE id = 'a'");
          if (k % 3 == 0) throw std::runtime_error("interrupted transfer");
          tx.Exec("UPDATE account SET balance = balance + 1 WHERE id = 'b'");
          return TxOutcome::kCommit;
        },
        waiter.Callback(static_cast<std::size_t>(k)));
  }
  std::jthread reader([&] {
    while (!writes_done.load() || reads.load() < 10) {
      store_->Read([&](SqlTx& tx) {
        const std::int64_t a = tx.QueryOne("SELECT balance FROM account WHERE id = 'a'")->Int(0);
        std::this_thread::yield();
        const std::int64_t b = tx.QueryOne("SELECT balance FROM account WHERE id = 'b'")->Int(0);
        const std::int64_t sum = tx.QueryOne("SELECT sum(balance) FROM account")->Int(0);
        const std::int64_t a_again = tx.QueryOne("SELECT balance FROM account WHERE id = 'a'")->Int(0);
        if (a + b != 1000 || sum != 1000 || a_again != a) ++torn;
      });
      ++reads;
    }
  });
  // Reads run while the writer holds its transaction open, then while the groups commit.
  while (reads.load() < 3) std::this_thread::yield();
  gate.Open();
  ASSERT_TRUE(waiter.WaitFor(kTransfers));
  writes_done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(waiter.Failures(), static_cast<std::size_t>(kTransfers / 3));
  EXPECT_EQ(ReadInt("SELECT balance FROM account WHERE id = 'b'"), kTransfers - kTransfers / 3);
}

TEST_F(SqliteStoreTest, ReadJobsRunInParallelOnThePool) {
  Open({.read_connections = 3});
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  DoneWaiter waiter;
  for (std::size_t i = 0; i < 3; ++i) {
    store_->SubmitRead(
        [&](SqlTx& tx) {
          tx.Query("SELECT 1");
          std::unique_lock lock(mu);
          ++arrived;
          cv.notify_all();
          // Only three jobs running at once can all get past this.
          if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return arrived == 3; })) {
            throw std::runtime_error("read jobs ran one at a time");
          }
        },
        waiter.Callback(i));
  }
  ASSERT_TRUE(waiter.WaitFor(3));
  EXPECT_EQ(waiter.Failures(), 0u);
}

TEST_F(SqliteStoreTest, CloseFromAStoreThreadIsALogicError) {
  Open();
  EXPECT_THAT(
      [&] {
        store_->Write([&](SqlTx&) {
          store_->Close();
          return TxOutcome::kCommit;
        });
      },
      ThrowsMessage<std::logic_error>(HasSubstr("from a store thread")));
}

TEST_F(SqliteStoreTest, ThrowingDoneCallbackDoesNotStopTheWriter) {
  Open();
  store_->SubmitWrite([](SqlTx&) { return TxOutcome::kCommit; },
                      [](std::exception_ptr) { throw std::runtime_error("careless callback"); });
  EXPECT_NO_THROW(WriteSql("CREATE TABLE t (x)"));
}

TEST_F(SqliteStoreTest, EveryDoneComesAfterAWalSyncThatStartedAfterItsCommit) {
  Open();
  WriteSql("CREATE TABLE t (k INTEGER)");
  constexpr std::int64_t kJobs = 50;
  DoneWaiter waiter;
  std::atomic<int> synced_after_commit{0};
  for (std::int64_t k = 0; k < kJobs; ++k) {
    // The job reads the sync count on the writer; its Done must see at least one more sync.
    auto syncs_at_job = std::make_shared<std::uint64_t>(0);
    store_->SubmitWrite(
        [this, k, syncs_at_job](SqlTx& tx) {
          tx.Exec("INSERT INTO t VALUES (?)", {k});
          *syncs_at_job = store_->WalSyncs();
          return TxOutcome::kCommit;
        },
        [&, syncs_at_job, done = waiter.Callback(static_cast<std::size_t>(k))](std::exception_ptr error) {
          if (store_->WalSyncs() > *syncs_at_job) ++synced_after_commit;
          done(error);
        });
  }
  ASSERT_TRUE(waiter.WaitFor(kJobs));
  EXPECT_EQ(waiter.Failures(), 0u);
  EXPECT_EQ(synced_after_commit.load(), kJobs);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), kJobs);
}

TEST_F(SqliteStoreTest, CheckpointsRunOffTheWriterAndLoseNothing) {
  Open({.checkpoint_pages = 8});
  WriteSql("CREATE TABLE t (k INTEGER PRIMARY KEY, pad BLOB)");
  constexpr std::int64_t kWrites = 200;
  for (std::int64_t k = 0; k < kWrites; ++k) {
    store_->Write([k](SqlTx& tx) {
      tx.Exec("INSERT INTO t VALUES (?, randomblob(3000))", {k});
      return TxOutcome::kCommit;
    });
  }
  for (int i = 0; i < 500 && store_->Checkpoints() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT(store_->Checkpoints(), 0u);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), kWrites);
  store_.reset();
  Open();
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), kWrites);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
}

TEST_F(SqliteStoreTest, TheWriterStartsTheWalOverAndCheckpointsSyncInSlices) {
  const std::uint64_t paced_before = PacedSyncs();
  const std::uint64_t slices_before = PacedSlices();
  Open({.checkpoint_pages = 8, .wal_restart_pages = 32});
  WriteSql("CREATE TABLE t (k INTEGER PRIMARY KEY, pad BLOB)");
  const auto wal_before = std::filesystem::file_size(path_ + "-wal");  // the migrations' frames
  constexpr std::int64_t kWrites = 300;
  for (std::int64_t k = 0; k < kWrites; ++k) {
    store_->Write([k](SqlTx& tx) {
      tx.Exec("INSERT INTO t VALUES (?, randomblob(3000))", {k});
      return TxOutcome::kCommit;
    });
  }
  // Without restarts the WAL would grow by every page written (~900 frames); started over at 32
  // pages, it is reused from its start and does not grow.
  const auto wal_bytes = std::filesystem::file_size(path_ + "-wal");
  EXPECT_LT(wal_bytes, wal_before + 60u * (4096 + 24)) << wal_before << " -> " << wal_bytes;
  EXPECT_GT(PacedSyncs(), paced_before);
  EXPECT_GT(PacedSlices(), slices_before) << "the checkpoints' writes were written back slice by slice";
  store_.reset();
  Open();
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), kWrites);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
}

TEST_F(SqliteStoreTest, WithoutOverlapSyncTheCommitSyncsOnTheWriter) {
  Open({.overlap_sync = false});
  WriteSql("CREATE TABLE t (k INTEGER)");
  WriteSql("INSERT INTO t VALUES (1)");
  EXPECT_EQ(store_->WalSyncs(), 0u);
  EXPECT_EQ(ReadInt("SELECT count(*) FROM t"), 1);
}

TEST(SqliteStoreOptions, RejectsZeroConnectionsOrGroupSize) {
  testing::TempDir dir;
  EXPECT_THROW(SqliteStore(dir.File("x.db"), {.read_connections = 0}), std::invalid_argument);
  EXPECT_THROW(SqliteStore(dir.File("x.db"), {.max_group = 0}), std::invalid_argument);
  EXPECT_THROW(SqliteStore(dir.File("x.db"), {.sync_threads = 0}), std::invalid_argument);
  EXPECT_THROW(SqliteStore(dir.File("x.db"), {.checkpoint_pages = 0}), std::invalid_argument);
  EXPECT_THROW(SqliteStore(dir.File("x.db"), {.checkpoint_pages = 100, .wal_restart_pages = 99}), std::invalid_argument);
}

}  // namespace
}  // namespace bookstamp
