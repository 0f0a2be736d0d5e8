// The HTTP/1.1 server: one coroutine per connection on an io_context run by a thread pool;
// routes from a Router, static files and the SPA fallback for everything outside /api, JSON error
// answers, security headers, one log line per request, graceful stop. Beast stays in server.cpp.
// Usage:
//   Router router; router.Add("GET", "/api/v1/branches", ListBranches);
//   Server server({.host = "0.0.0.0", .port = 8080, .static_dir = "web/dist"}, std::move(router));
//   uint16_t port = server.Start();   // bound; serving
//   ... server.Stop();                // from any thread, or: server.Run() blocks until Stop()
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.hpp"

namespace bookstamp::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port (Start returns it)
  std::string static_dir;  // the built web app; empty or missing: non-/api paths answer 404 JSON
  std::size_t body_limit = 1 << 20;                  // larger bodies: 413, then the connection closes
  std::chrono::seconds header_timeout{10};           // to receive a request's header once it starts
  std::chrono::seconds idle_timeout{75};             // keep-alive wait for the next request
  std::chrono::seconds io_timeout{30};               // to receive a body, and to send an answer
  std::chrono::milliseconds shutdown_grace{10'000};  // Stop() waits this long for in-flight requests
  int threads = 0;                                   // I/O threads; 0 = hardware_concurrency
  // GET /metrics, built in beside /healthz (outside /api); unset: 404. The handler does its own
  // access check. Request counts per route are kept by the Router (RequestMetrics).
  Handler metrics;
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  // Stops (as Stop()) if still running. REQUIRES: not called on one of the server's threads.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (port 0: ephemeral), starts the I/O threads; returns the bound port.
  // Throws boost::system::system_error (a std::runtime_error) when the address cannot be bound or
  // resolved. Call once.
  std::uint16_t Start();

  // Blocks until the server has stopped (Start()s it first if needed).
  void Run();

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in flight
  // finish (their connections close after the answer), waits at most shutdown_grace, then stops
  // the I/O threads. Idempotent and thread-safe. Called from one of the server's own threads (a
  // handler, a signal_set on another io_context...) it only starts the stop and returns; from any
  // other thread it returns once the threads have exited.
  void Stop();

  // The port bound by Start(), 0 before.
  std::uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstamp::http
