// The HTTP server; see server.hpp. Beast and Asio are compiled once, in beast_impl.cpp.
// Per connection: wait for a request (idle_timeout), read its header (header_timeout) and body
// (io_timeout, body_limit), dispatch, answer, repeat while keep-alive.
#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <fmt/format.h>
#include <mutex>
#include <optional>
#include <random>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "app/ports/sql.hpp"
#include "http/answer_writer.hpp"
#include "http/errors.hpp"
#include "http/messages.hpp"
#include "http/static_files.hpp"
#include "http/url.hpp"

namespace bookstamp::http {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;
using detail::Answer;
using detail::Exchange;
using detail::Quote;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kLingerBytes = 8 << 20;
constexpr std::chrono::seconds kLingerTime{1};

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

std::string NewRequestId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}", random());
}

// A client's own X-Request-Id is kept when it is short and plain, so traces can be joined.
std::string RequestIdFrom(std::string_view incoming) {
  if (incoming.empty() || incoming.size() > 64) return NewRequestId();
  for (char c : incoming)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return NewRequestId();
  return std::string(incoming);
}

// A malformed request (as opposed to a closed or timed-out connection).
bool IsSyntaxError(const error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message && ec != bhttp::error::need_more &&
         ec != bhttp::error::need_buffer;
}

std::string RemoteAddress(const tcp::socket& socket) {
  error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "-";
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

// A connection as the stop logic sees it.
struct Connection {
  asio::any_io_executor executor;        // the connection's strand
  beast::tcp_stream* stream = nullptr;   // on the strand only; null once the session ended
  bool idle = false;                     // on the strand only: waiting for a request's first byte
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Router router)
      : options_(std::move(options)), router_(std::move(router)), metrics_(router_.metrics()) {
    metrics_slot_ = metrics_->AddSlot("GET", "/metrics");
    int threads = options_.threads > 0 ? options_.threads : static_cast<int>(std::thread::hardware_concurrency());
    thread_count_ = std::max(1, threads);
    ioc_ = std::make_unique<asio::io_context>(thread_count_);
    control_.emplace(asio::make_strand(*ioc_));
    acceptor_.emplace(*control_);
  }

  ~Impl() {
    Stop();
    // Coroutines still suspended (past the grace period) are destroyed with the io_context; they
    // touch conns_ and the I/O objects, so the io_context goes first, after the objects bound to it.
    acceptor_.reset();
    control_.reset();
    ioc_.reset();
  }

  std::uint16_t Start() {
    if (started_ || stopping_) throw std::logic_error("Server::Start called twice or after Stop");
    std::string host = options_.host.empty() ? "0.0.0.0" : options_.host;
    tcp::endpoint endpoint;
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, options_.port);
    } else {
      tcp::resolver resolver(*ioc_);
      endpoint = *resolver.resolve(host, std::to_string(options_.port), tcp::resolver::passive).begin();
    }
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(endpoint);
    acceptor_->listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_->local_endpoint().port();
    started_ = true;
    asio::co_spawn(*control_, Accept(), asio::detached);
    for (int i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { RunThread(); });
    spdlog::info(R"({{"event":"http_listen","address":{},"port":{},"threads":{},"static_dir":{}}})",
                 Quote(endpoint.address().to_string()), port_, thread_count_, Quote(options_.static_dir));
    return port_;
  }

  void Run() {
    if (!started_) Start();
    Join();
  }

  void Stop() {
    std::call_once(stop_once_, [this] {
      stopping_ = true;
      if (started_) asio::co_spawn(*control_, Drain(), asio::detached);
    });
    if (!OnServerThread()) Join();
  }

  std::uint16_t port() const { return port_; }

 private:
  void RunThread() {
    for (;;) {
      try {
        ioc_->run();
        return;
      } catch (const std::exception& e) {
        // Sessions catch their own exceptions; this is a last resort so one bug cannot stop a thread.
        spdlog::error(R"({{"event":"http_thread_error","what":{}}})", Quote(e.what()));
      }
    }
  }

  bool OnServerThread() const {
    auto self = std::this_thread::get_id();
    return std::any_of(threads_.begin(), threads_.end(), [&](const std::thread& t) { return t.get_id() == self; });
  }

  void Join() {
    std::lock_guard lock(join_mu_);
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor_->async_accept(asio::make_strand(*ioc_), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping_ || !acceptor_->is_open()) co_return;
        // Out of file descriptors and the like: back off instead of spinning.
        spdlog::warn(R"({{"event":"http_accept_error","error":{}}})", Quote(ec.message()));
        asio::steady_timer pause(*control_, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      if (stopping_) co_return;
      socket.set_option(tcp::no_delay(true), ec);
      ++active_;
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(std::move(socket)), asio::detached);
    }
  }

  // Stops accepting, closes idle connections, waits for busy ones (bounded), stops the threads.
  asio::awaitable<void> Drain() {
    error_code ec;
    acceptor_->close(ec);
    {
      std::lock_guard lock(conns_mu_);
      for (const auto& conn : conns_)
        asio::post(conn->executor, [conn] {
          if (conn->idle && conn->stream) conn->stream->cancel();
        });
    }
    asio::steady_timer timer(*control_);
    auto deadline = SteadyClock::now() + options_.shutdown_grace;
    while (active_.load() > 0 && SteadyClock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (int left = active_.load(); left > 0)
      spdlog::warn(R"({{"event":"http_stop","unfinished_connections":{}}})", left);
    else
      spdlog::info(R"({"event":"http_stop"})");
    ioc_->stop();
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    auto conn = std::make_shared<Connection>();
    conn->executor = stream.get_executor();
    conn->stream = &stream;
    {
      std::lock_guard lock(conns_mu_);
      conns_.insert(conn);
    }
    struct Leave {
      Impl* self;
      std::shared_ptr<Connection> conn;
      ~Leave() {
        conn->stream = nullptr;
        {
          std::lock_guard lock(self->conns_mu_);
          self->conns_.erase(conn);
        }
        --self->active_;
      }
    } leave{this, conn};

    std::string remote = RemoteAddress(stream.socket());
    try {
      co_await Serve(stream, *conn, remote);
    } catch (const std::exception& e) {
      spdlog::error(R"({{"event":"http_session_error","remote":{},"what":{}}})", Quote(remote), Quote(e.what()));
    }
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
  }

  asio::awaitable<void> Serve(beast::tcp_stream& stream, Connection& conn, const std::string& remote) {
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      error_code ec;
      // Wait for the next request's first byte: the idle phase, which Stop() may cut short.
      if (buffer.size() == 0) {
        if (stopping_) co_return;
        conn.idle = true;
        stream.expires_after(first ? options_.header_timeout : options_.idle_timeout);
        std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
        conn.idle = false;
        if (ec) co_return;  // closed by the client, timed out, or stopping
        buffer.commit(n);
      }
      first = false;

      Exchange x;
      x.remote = remote;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(kHeaderLimit);
      // The header is read under the largest limit of any route; the matched route's own limit
      // (or the server's) is applied once the header names the route.
      parser.body_limit(std::max(options_.body_limit, router_.MaxBodyLimit()));
      stream.expires_after(options_.header_timeout);
      co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      Router::Match match;
      std::size_t body_limit = options_.body_limit;
      // (A Content-Length over even the largest limit fails the header read itself: body_limit.)
      if (!ec || ec == bhttp::error::body_limit) {
        std::string_view target = parser.get().target();
        match = router_.Find(parser.get().method_string(), target.substr(0, target.find('?')));
        if (match.outcome == Router::Outcome::kFound && match.body_limit > 0) body_limit = match.body_limit;
      }
      if (!ec) {
        if (auto length = parser.content_length(); length && *length > body_limit)
          ec = bhttp::error::body_limit;
        else
          parser.body_limit(body_limit);
      }
      if (!ec && !parser.is_done()) {
        if (parser.get().version() >= 11 && IEquals(parser.get()[bhttp::field::expect], "100-continue")) {
          bool continued = co_await detail::SendContinue(stream, options_.io_timeout);
          if (!continued) co_return;
        }
        stream.expires_after(options_.io_timeout);
        co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      }
      stream.expires_never();

      if (ec) {
        // Answer what the client did wrong, then close; a client that just went away gets nothing.
        std::optional<DomainError> error;
        if (ec == bhttp::error::body_limit) {
          error = DomainError(ErrorCode::kPayloadTooLarge, {{"limit", std::to_string(body_limit)}});
        } else if (IsSyntaxError(ec)) {
          error = DomainError::Invalid("request", "bad_format");
        }
        if (!error) co_return;
        const auto& header = parser.get();
        x.request_id = NewRequestId();
        if (!header.method_string().empty()) x.method = std::string(header.method_string());
        if (!header.target().empty()) x.path = std::string(header.target().substr(0, header.target().find('?')));
        x.lang = PickLanguage(header[bhttp::field::accept_language]);
        x.keep_alive = false;
        x.version = header.version() == 10 ? 10 : 11;
        x.api = IsApiPath(x.path);
        Answer refusal{ErrorResponse(*error, x.lang), std::nullopt};
        metrics_->Record(match.metrics_slot, refusal.response.status, SteadyClock::now() - x.start);
        co_await detail::SendAnswer(stream, refusal, x, options_.io_timeout);
        co_await LingeringClose(stream);
        co_return;
      }

      bhttp::request<bhttp::string_body> message = parser.release();
      x.request_id = RequestIdFrom(message["X-Request-Id"]);
      x.method = std::string(message.method_string());
      x.version = message.version();
      x.keep_alive = message.keep_alive();
      x.head = message.method() == bhttp::verb::head;
      x.lang = PickLanguage(message[bhttp::field::accept_language]);
      x.if_none_match = std::string(message[bhttp::field::if_none_match]);

      std::size_t slot = RequestMetrics::kUnmatchedSlot;
      Answer answer = co_await Handle(message, x, std::move(match), slot);
      if (stopping_) x.keep_alive = false;  // in flight during Stop(): answer, then close
      x.api = IsApiPath(x.path);
      // Counted when the answer is ready, before it is sent: a client that has its answer sees it
      // counted. A file answer counts as 200 (it may still become 304 or 404 while sending).
      metrics_->Record(slot, answer.file ? 200 : answer.response.status, SteadyClock::now() - x.start);
      bool sent = co_await detail::SendAnswer(stream, answer, x, options_.io_timeout);
      if (!sent || !x.keep_alive) co_return;
    }
  }

  // Turns a complete request into an answer; never throws for anything the client sent.
  // `match` is the router's answer for the request line; `slot` is set to its metrics slot.
  asio::awaitable<Answer> Handle(bhttp::request<bhttp::string_body>& message, Exchange& x, Router::Match match,
                                 std::size_t& slot) {
    Request req;
    req.method = x.method;
    req.request_id = x.request_id;
    req.remote_ip = x.remote;
    req.lang = x.lang;
    for (const auto& field : message)
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));

    std::string_view target = message.target();
    auto question = target.find('?');
    std::string_view raw_path = target.substr(0, question);
    x.path = std::string(raw_path);
    std::optional<std::string> path;
    if (!raw_path.empty() && raw_path.front() == '/') path = PercentDecode(raw_path);
    if (!path) co_return Answer{ErrorResponse(DomainError::Invalid("path", "bad_format"), x.lang), std::nullopt};
    req.path = std::move(*path);
    x.path = req.path;
    if (question != std::string_view::npos) req.query = ParseQuery(target.substr(question + 1));
    req.body = std::move(message.body());

    if (match.outcome == Router::Outcome::kFound) {
      slot = match.metrics_slot;
      req.params = std::move(match.params);
      // Not `Answer{co_await ...}`: g++ 12 destroys a co_await result used in an aggregate
      // initializer after copying it bitwise (a double free).
      Response response = co_await RunHandler(*match.handler, req);
      co_return Answer{std::move(response), std::nullopt};
    }
    if (match.outcome == Router::Outcome::kMethodNotAllowed) co_return MethodNotAllowed(req, match.allow);

    bool get = req.method == "GET" || req.method == "HEAD";
    if (req.path == "/metrics" && options_.metrics) {
      if (!get) co_return MethodNotAllowed(req, {"GET", "HEAD"});
      slot = metrics_slot_;
      Response response = co_await RunHandler(options_.metrics, req);
      co_return Answer{std::move(response), std::nullopt};
    }
    if (req.path == "/healthz") {
      if (!get) co_return MethodNotAllowed(req, {"GET", "HEAD"});
      co_return Answer{JsonResponse(200, boost::json::object{{"status", "ok"}}), std::nullopt};
    }
    if (IsApiPath(req.path)) co_return Answer{ErrorResponse(ErrorCode::kNotFound, req.lang), std::nullopt};
    if (!get) co_return MethodNotAllowed(req, {"GET", "HEAD"});

    StaticTarget file = ResolveStatic(options_.static_dir, req.path);
    if (file.kind != StaticTarget::Kind::kFile)
      co_return Answer{ErrorResponse(ErrorCode::kNotFound, req.lang), std::nullopt};
    slot = RequestMetrics::kStaticSlot;
    Answer answer;
    answer.file = std::move(file);
    co_return answer;
  }

  static Answer MethodNotAllowed(const Request& req, const std::vector<std::string>& allow) {
    Answer answer{ErrorResponse(DomainError(ErrorCode::kMethodNotAllowed, {{"method", req.method}}), req.lang), std::nullopt};
    std::string list;
    for (const auto& m : allow) list += (list.empty() ? "" : ", ") + m;
    answer.response.headers.emplace_back("Allow", list);
    return answer;
  }

  // The answer for a handler's exception. A plain function: g++ 12 mishandles co_return inside a
  // catch block of a coroutine (the answer's storage was freed twice), so the coroutine only
  // captures the exception and this decides.
  static Response AnswerFor(std::exception_ptr error, const Request& req) {
    try {
      std::rethrow_exception(error);
    } catch (const HttpError& e) {
      return ErrorResponse(e.error, req.lang);
    } catch (const DomainError& e) {
      return ErrorResponse(e, req.lang);
    } catch (const StoreUnavailable& e) {
      spdlog::warn(R"({{"event":"store_unavailable","id":{},"what":{}}})", Quote(req.request_id), Quote(e.what()));
      return ErrorResponse(ErrorCode::kUnavailable, req.lang);
    } catch (const std::exception& e) {
      spdlog::error(R"({{"event":"handler_bug","id":{},"method":{},"path":{},"what":{}}})", Quote(req.request_id),
                    Quote(req.method), Quote(req.path), Quote(e.what()));
    } catch (...) {
      spdlog::error(R"({{"event":"handler_bug","id":{},"method":{},"path":{},"what":"non-standard exception"}})",
                    Quote(req.request_id), Quote(req.method), Quote(req.path));
    }
    return InternalErrorResponse(req.request_id, req.lang);
  }

  static asio::awaitable<Response> RunHandler(const Handler& handler, Request& req) {
    std::exception_ptr error;
    try {
      Response response = co_await handler(req);
      co_return response;
    } catch (...) {
      error = std::current_exception();
    }
    co_return AnswerFor(error, req);
  }

  // Reads and drops what the client still sends (up to a bound) before closing, so an early
  // answer (413) reaches it instead of being lost to a reset.
  static asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(kLingerTime);
    std::array<char, 16 * 1024> scratch;
    std::size_t total = 0;
    while (total < kLingerBytes) {
      std::size_t n = co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      total += n;
    }
    stream.expires_never();
  }

  ServerOptions options_;
  Router router_;
  std::shared_ptr<RequestMetrics> metrics_;  // the router's
  std::size_t metrics_slot_ = 0;             // GET /metrics itself
  int thread_count_ = 1;
  std::unique_ptr<asio::io_context> ioc_;
  std::optional<asio::strand<asio::io_context::executor_type>> control_;  // acceptor and Drain
  std::optional<tcp::acceptor> acceptor_;                                  // on control_
  std::vector<std::thread> threads_;                                       // written before the threads start
  std::uint16_t port_ = 0;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int> active_{0};  // sessions alive, counted from accept
  std::mutex conns_mu_;
  std::unordered_set<std::shared_ptr<Connection>> conns_;  // GUARDED_BY(conns_mu_)
  std::mutex join_mu_;
  std::once_flag stop_once_;
};

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}
Server::~Server() = default;
std::uint16_t Server::Start() { return impl_->Start(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
std::uint16_t Server::port() const { return impl_->port(); }

}  // namespace bookstamp::http
