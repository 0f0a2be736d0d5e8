// SIP2 TCP server; see server.hpp.
#include "sip2/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/redirect_error.hpp>

namespace bookstamp::sip2 {
namespace asio = boost::asio;
using asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  const Deps& deps;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;
  bool started = false;

  Impl(ServerOptions o, const Deps& d) : options(std::move(o)), deps(d) {}

  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        spdlog::warn("sip2 accept: {}", ec.message());
        continue;
      }
      asio::co_spawn(io, Connection(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Connection(tcp::socket socket) {
    std::string peer;
    boost::system::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    peer = ec ? "?" : endpoint.address().to_string();
    Session session(deps, peer);
    // Idle watchdog: closes the socket when no message came within the timeout.
    auto deadline = std::make_shared<asio::steady_timer::time_point>(asio::steady_timer::clock_type::now() +
                                                                     options.idle_timeout);
    auto timer = std::make_shared<asio::steady_timer>(io);
    auto closed = std::make_shared<bool>(false);
    asio::co_spawn(
        io,
        [timer, deadline, closed, &socket]() -> asio::awaitable<void> {
          while (!*closed) {
            timer->expires_at(*deadline);
            boost::system::error_code wait_ec;
            co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, wait_ec));
            if (*closed) co_return;
            if (asio::steady_timer::clock_type::now() >= *deadline) {
              boost::system::error_code ignored;
              socket.shutdown(tcp::socket::shutdown_both, ignored);
              socket.close(ignored);
              co_return;
            }
          }
        },
        asio::detached);
    std::string buffer;
    for (;;) {
      auto n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer, options.max_message_bytes), '\r',
                                               asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;  // end of stream, idle close, or an oversized message
      *deadline = asio::steady_timer::clock_type::now() + options.idle_timeout;
      std::string message = buffer.substr(0, n);
      buffer.erase(0, n);
      auto answer = co_await session.Handle(std::move(message));
      if (answer.empty()) continue;
      co_await asio::async_write(socket, asio::buffer(answer), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    if (ec && ec != asio::error::eof && ec != asio::error::operation_aborted && ec != asio::error::bad_descriptor)
      spdlog::info("sip2 {}: connection closed: {}", peer, ec.message());
    *closed = true;
    timer->cancel();
    boost::system::error_code ignored;
    socket.close(ignored);
  }
};

Server::Server(ServerOptions options, const Deps& deps) : impl_(std::make_unique<Impl>(std::move(options), deps)) {}

Server::~Server() { Stop(); }

std::uint16_t Server::Start() {
  auto& i = *impl_;
  tcp::endpoint endpoint(asio::ip::make_address(i.options.host), i.options.port);
  i.acceptor.open(endpoint.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(endpoint);
  i.acceptor.listen();
  auto port = i.acceptor.local_endpoint().port();
  asio::co_spawn(i.io, i.Accept(), asio::detached);
  i.started = true;
  i.thread = std::thread([&i] {
    // A handler that throws is logged; the other connections keep being served.
    for (;;) {
      try {
        i.io.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("sip2 I/O thread: {}", e.what());
      }
    }
  });
  return port;
}

void Server::Stop() {
  auto& i = *impl_;
  if (!i.started) return;
  i.started = false;
  asio::post(i.io, [&i] {
    boost::system::error_code ignored;
    i.acceptor.close(ignored);
  });
  i.io.stop();
  if (i.thread.joinable()) i.thread.join();
}

}  // namespace bookstamp::sip2
