// The SIP2 TCP server: one Asio coroutine per connection, messages framed by CR (CRLF accepted),
// idle connections closed after a timeout longer than a kiosk's status poll. docs/sip2.md.
#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "sip2/session.hpp"

namespace bookstamp::sip2 {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                                 // 0: any free port
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(15);  // kiosks poll every 5-7 min
  std::size_t max_message_bytes = 64 * 1024;              // longer: the connection is closed
};

class Server {
 public:
  // REQUIRES: `deps` outlives the server, and the server outlives every Store job it submitted:
  // Stop() it, close the Store, then destroy it.
  Server(ServerOptions options, const Deps& deps);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, starts the I/O thread, returns the bound port. Throws when the address cannot be bound.
  std::uint16_t Start();
  // Stops accepting and closes every connection; joins the I/O thread. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstamp::sip2
