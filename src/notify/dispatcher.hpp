// The outbox dispatcher (ARCHITECTURE.md "Outbox"): claims due e-mail deliveries in a write
// transaction with a lease, sends each outside any transaction, records every attempt, and retries
// with exponential backoff. A notice is mailed twice only if the process dies between the mail
// server's acceptance and the recording of it, and then with the same Message-ID.
#pragma once
#include <chrono>
#include <string>

#include "app/ports/clock.hpp"
#include "app/ports/mailer.hpp"
#include "app/ports/store.hpp"

namespace bookstamp::notify {

struct DispatcherOptions {
  std::string server_key;                        // makes Message-IDs unguessable
  std::string message_id_domain = "localhost";   // the right-hand side of Message-IDs
  std::chrono::milliseconds retry_base = std::chrono::seconds(30);
  std::chrono::milliseconds retry_max = std::chrono::hours(1);
  std::chrono::milliseconds lease = std::chrono::minutes(5);  // > the mailer's whole timeout
  int max_attempts = 10;
  int batch = 20;
};

// The wait after `failed_attempts` (>= 1) failures: base·2^(n-1), capped at `max`.
std::chrono::milliseconds RetryDelay(int failed_attempts, std::chrono::milliseconds base,
                                     std::chrono::milliseconds max);

class Dispatcher {
 public:
  Dispatcher(Store& store, const Clock& clock, Mailer& mailer, DispatcherOptions options);

  // One pass: claims up to `batch` due deliveries (pending and due, or 'sending' with the lease
  // run out), sends them, records the results. Returns how many mails the server accepted.
  // Throws when the database fails (the caller logs and tries again later). Not thread-safe;
  // several dispatchers (threads or processes) may share one database.
  int RunOnce();

 private:
  Store& store_;
  const Clock& clock_;
  Mailer& mailer_;
  DispatcherOptions options_;
};

}  // namespace bookstamp::notify
