// Helpers for the SQLite engine's tests: a temporary directory and a wait for Done callbacks.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/ports/store.hpp"

namespace bookstamp::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bookstamp-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Collects the errors of Done callbacks and waits for them. Thread-safe.
class DoneWaiter {
 public:
  // A callback that records its error under `index` (see Error).
  Store::Done Callback(std::size_t index = 0) {
    return [this, index](std::exception_ptr error) {
      std::lock_guard lock(mu_);
      if (errors_.size() <= index) errors_.resize(index + 1);
      errors_[index] = error;
      ++calls_;
      cv_.notify_all();
    };
  }
  // True when `n` callbacks arrived within `timeout`.
  bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return calls_ >= n; });
  }
  std::exception_ptr Error(std::size_t index) {
    std::lock_guard lock(mu_);
    return index < errors_.size() ? errors_[index] : nullptr;
  }
  std::size_t Failures() {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& e : errors_) n += e ? 1 : 0;
    return n;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::exception_ptr> errors_;  // GUARDED_BY(mu_)
  std::size_t calls_ = 0;                   // GUARDED_BY(mu_)
};

// Holds the store's writer inside a job until Open(), so that jobs submitted meanwhile queue up and
// are taken together as the next group. Returns from the constructor once the writer is held.
class WriterGate {
 public:
  explicit WriterGate(Store& store) {
    auto entered = std::make_shared<std::promise<void>>();
    std::future<void> entered_future = entered->get_future();
    store.SubmitWrite(
        [entered, opened = open_.get_future().share()](SqlTx&) {
          entered->set_value();
          opened.wait();
          return TxOutcome::kCommit;
        },
        nullptr);
    entered_future.wait();
  }
  WriterGate(const WriterGate&) = delete;
  WriterGate& operator=(const WriterGate&) = delete;
  // Opens if the test did not (a failed assertion), so the store can still close.
  ~WriterGate() {
    if (!opened_) Open();
  }
  void Open() {
    opened_ = true;
    open_.set_value();
  }

 private:
  std::promise<void> open_;
  bool opened_ = false;
};

// Rethrows `error` so a test can match its type and message (nothing when it is null).
inline void Rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

}  // namespace bookstamp::testing
