// Integration tests of the HTTP server over real sockets: routing, error answers, limits, static
// files, headers, languages, the Store bridge and graceful stop. The client is a tiny blocking
// HTTP/1.1 client on POSIX sockets, so this file needs no Beast.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "app/ports/sql.hpp"
#include "app/ports/store.hpp"
#include "http/errors.hpp"
#include "http/json_body.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/store_bridge.hpp"

namespace bookstamp::http {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// ---- a tiny blocking HTTP client -------------------------------------------------------------

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  boost::json::value Json() const { return boost::json::parse(body); }
  std::string Code() const { return std::string(Json().at("error").at("code").as_string()); }
  std::string ErrorMessage() const { return std::string(Json().at("error").at("message").as_string()); }
};

class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  // False when the peer refused the bytes (reset).
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one answer. status 0 when the connection closed (or timed out) before one arrived.
  Reply Read(bool head = false) {
    Reply reply;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill()) return reply;
    std::string header = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::size_t line_end = header.find("\r\n");
    std::string status_line = header.substr(0, line_end);
    reply.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
    std::size_t pos = line_end == std::string::npos ? header.size() : line_end + 2;
    while (pos < header.size()) {
      std::size_t next = header.find("\r\n", pos);
      if (next == std::string::npos) next = header.size();
      std::string line = header.substr(pos, next - pos);
      auto colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      reply.headers[name] = value;
      pos = next + 2;
    }
    if (head || reply.status == 204 || reply.status == 304 || reply.status == 100) return reply;
    if (reply.headers.contains("content-length")) {
      std::size_t length = std::stoul(reply.headers["content-length"]);
      while (buffer_.size() < length)
        if (!Fill()) break;
      reply.body = buffer_.substr(0, length);
      buffer_.erase(0, std::min(length, buffer_.size()));
    } else {
      while (Fill()) {
      }
      reply.body = std::move(buffer_);
      buffer_.clear();
    }
    return reply;
  }

  // True when the server closes the connection (EOF or reset) within the receive timeout.
  bool ClosedByPeer() {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

 private:
  bool Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string RequestText(std::string_view method, std::string_view target,
                        std::vector<std::pair<std::string, std::string>> headers = {}, std::string_view body = {}) {
  std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n";
  for (const auto& [k, v] : headers) text += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n";
  text += body;
  return text;
}

Reply Fetch(std::uint16_t port, std::string_view method, std::string_view target,
            std::vector<std::pair<std::string, std::string>> headers = {}, std::string_view body = {}) {
  Client client(port);
  EXPECT_TRUE(client.connected());
  client.Send(RequestText(method, target, std::move(headers), body));
  return client.Read(method == "HEAD");
}

// ---- a Store fake: runs jobs on its own thread ------------------------------------------------

class FakeTx : public SqlTx {
 public:
  SqlRows Query(std::string_view, std::initializer_list<SqlValue>) override { return {}; }
  SqlRows Query(std::string_view, const std::vector<SqlValue>&) override { return {}; }
  std::int64_t Exec(std::string_view, std::initializer_list<SqlValue>) override { return 0; }
  std::int64_t Exec(std::string_view, const std::vector<SqlValue>&) override { return 0; }
  std::string_view Dialect() const override { return "fake"; }
};

class FakeStore : public Store {
 public:
  FakeStore() : thread_([this] { Loop(); }) {}
  ~FakeStore() override { Close(); }

  void SubmitWrite(WriteJob job, Done done) override {
    Push([this, job = std::move(job), done = std::move(done)] {
      FakeTx tx;
      std::exception_ptr error;
      try {
        (job(tx) == TxOutcome::kCommit ? commits : rollbacks)++;
      } catch (...) {
        error = std::current_exception();
      }
      done(error);
    });
  }
  void SubmitRead(ReadJob job, Done done) override {
    Push([job = std::move(job), done = std::move(done)] {
      FakeTx tx;
      std::exception_ptr error;
      try {
        job(tx);
      } catch (...) {
        error = std::current_exception();
      }
      done(error);
    });
  }
  void Close() override {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      closed_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  std::thread::id thread_id() const { return thread_.get_id(); }

  std::atomic<int> commits{0}, rollbacks{0};

 private:
  void Push(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      if (closed_) throw StoreUnavailable("store closed");
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }
  void Loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return closed_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // GUARDED_BY(mu_)
  bool closed_ = false;                      // GUARDED_BY(mu_)
  std::thread thread_;
};

// ---- the fixture --------------------------------------------------------------------------------

Response Json(int status, boost::json::value v) { return JsonResponse(status, v); }

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("bookstamp_http_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    dist_ = base_ / "dist";
    fs::create_directories(dist_ / "assets");
    WriteFile(dist_ / "index.html", "<!doctype html><title>Bookstamp</title>");
    WriteFile(dist_ / "assets" / "index-3f2a9c.js", "console.log('app')");
    WriteFile(dist_ / "assets" / "index-77aa.css", "body{}");
    WriteFile(dist_ / "manifest.webmanifest", R"({"name":"Bookstamp"})");
    WriteFile(dist_ / "icon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    WriteFile(base_ / "secret.txt", "TOP-SECRET");
    options_.static_dir = dist_.string();
    options_.threads = 2;
  }

  void TearDown() override {
    server_.reset();
    store_.Close();
    fs::remove_all(base_);
  }

  static void WriteFile(const fs::path& p, std::string_view text) { std::ofstream(p, std::ios::binary) << text; }

  Router TestRoutes() {
    Router r;
    r.Add("GET", "/api/v1/echo/{a}/items/{b}", [](Request& req) -> boost::asio::awaitable<Response> {
      co_return Json(200, {{"a", req.params.at("a")},
                           {"b", req.params.at("b")},
                           {"q", req.Query("q")},
                           {"path", req.path},
                           {"lang", req.lang},
                           {"method", req.method},
                           {"agent", req.Header("user-agent")},
                           {"remote", req.remote_ip}});
    });
    r.Add("GET", "/api/v1/things", [](Request&) -> boost::asio::awaitable<Response> { co_return Json(200, {}); });
    r.Add("POST", "/api/v1/things", [](Request& req) -> boost::asio::awaitable<Response> {
      auto body = ParseJsonObject(req);
      co_return Json(201, {{"card", RequireString(body, "card")}});
    });
    r.Add("GET", "/api/v1/throw/domain", [](Request&) -> boost::asio::awaitable<Response> {
      throw HttpError{DomainError(ErrorCode::kBorrowSuspended, {{"date", "2026-12-01"}})};
      co_return Response{};
    });
    r.Add("GET", "/api/v1/throw/unavailable", [](Request&) -> boost::asio::awaitable<Response> {
      throw StoreUnavailable("disk full");
      co_return Response{};
    });
    r.Add("GET", "/api/v1/throw/bug", [](Request&) -> boost::asio::awaitable<Response> {
      throw std::logic_error("a bug");
      co_return Response{};
    });
    r.Add("GET", "/api/v1/no-content", [](Request&) -> boost::asio::awaitable<Response> { co_return NoContent(); });
    r.Add("GET", "/api/v1/cached", [](Request&) -> boost::asio::awaitable<Response> {
      Response res = Json(200, {{"ok", true}});
      res.headers.emplace_back("Cache-Control", "public, max-age=60");
      co_return res;
    });
    // The Store bridge.
    r.Add("GET", "/api/v1/store/read", [this](Request&) -> boost::asio::awaitable<Response> {
      std::thread::id job_thread;
      int value = co_await Read(store_, [&](SqlTx& tx) {
        job_thread = std::this_thread::get_id();
        return tx.Dialect() == "fake" ? 42 : 0;
      });
      co_return Json(200, {{"value", value},
                           {"job_on_store_thread", job_thread == store_.thread_id()},
                           {"resumed_off_store_thread", std::this_thread::get_id() != store_.thread_id()}});
    });
    r.Add("POST", "/api/v1/store/pair", [this](Request&) -> boost::asio::awaitable<Response> {
      std::string text = co_await Write(store_, [](SqlTx&) { return std::pair{TxOutcome::kCommit, std::string("saved")}; });
      co_return Json(201, {{"text", text}});
    });
    r.Add("POST", "/api/v1/store/refuse", [this](Request&) -> boost::asio::awaitable<Response> {
      Result<int> r = co_await Write(store_, [](SqlTx&) -> Result<int> { return Fail(ErrorCode::kOutOfStock); });
      co_return Json(201, {{"n", OrThrow(std::move(r))}});
    });
    r.Add("POST", "/api/v1/store/throw", [this](Request&) -> boost::asio::awaitable<Response> {
      co_await Write(store_, [](SqlTx&) { throw StoreUnavailable("database is locked"); });
      co_return Json(200, {});
    });
    r.Add("GET", "/api/v1/slow", [this](Request&) -> boost::asio::awaitable<Response> {
      slow_started_ = true;
      co_await Read(store_, [](SqlTx&) { std::this_thread::sleep_for(700ms); });
      co_return Json(200, {{"slow", "done"}});
    });
    return r;
  }

  std::uint16_t StartServer(Router router) {
    server_ = std::make_unique<Server>(options_, std::move(router));
    port_ = server_->Start();
    return port_;
  }
  std::uint16_t StartServer() { return StartServer(TestRoutes()); }

  fs::path base_, dist_;
  ServerOptions options_;
  FakeStore store_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::atomic<bool> slow_started_{false};
};

// ---- routing ------------------------------------------------------------------------------------

TEST_F(ServerTest, RoutesWithDecodedParamsAndQuery) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/echo/A%20B/items/%E5%9C%8B?q=%E5%93%88+%E5%88%A9", {{"User-Agent", "t/1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_EQ(v.at("a").as_string(), "A B");
  EXPECT_EQ(v.at("b").as_string(), "國");
  EXPECT_EQ(v.at("q").as_string(), "哈 利");
  EXPECT_EQ(v.at("path").as_string(), "/api/v1/echo/A B/items/國");
  EXPECT_EQ(v.at("agent").as_string(), "t/1");
  EXPECT_EQ(v.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
}

TEST_F(ServerTest, UnknownApiPathIsNotFoundJson) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/nothing/here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Code(), "NOT_FOUND");
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  StartServer();
  auto r = Fetch(port_, "DELETE", "/api/v1/things");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Code(), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.Header("allow"), "GET, HEAD, POST");
  auto s = Fetch(port_, "POST", "/index.html", {}, "x");
  EXPECT_EQ(s.status, 405);
  EXPECT_EQ(s.Header("allow"), "GET, HEAD");
}

TEST_F(ServerTest, HealthzIsBuiltInAndReplaceable) {
  StartServer();
  auto r = Fetch(port_, "GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  server_.reset();

  Router router;
  router.Add("GET", "/healthz", [](Request&) -> boost::asio::awaitable<Response> {
    co_return Json(503, {{"status", "db down"}});
  });
  StartServer(std::move(router));
  EXPECT_EQ(Fetch(port_, "GET", "/healthz").status, 503);
}

TEST_F(ServerTest, KeepsTheConnectionAliveBetweenRequests) {
  StartServer();
  Client client(port_);
  client.Send(RequestText("GET", "/healthz") + RequestText("GET", "/api/v1/things"));  // pipelined
  EXPECT_EQ(client.Read().status, 200);
  EXPECT_EQ(client.Read().status, 200);
  client.Send(RequestText("GET", "/api/v1/nope"));
  EXPECT_EQ(client.Read().status, 404);
}

TEST_F(ServerTest, HeadOnAGetRouteHasLengthButNoBody) {
  StartServer();
  Client client(port_);
  client.Send(RequestText("HEAD", "/healthz"));
  auto r = client.Read(true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-length"), "15");
  client.Send(RequestText("GET", "/healthz"));  // the connection is still in step
  EXPECT_EQ(client.Read().body, R"({"status":"ok"})");
}

TEST_F(ServerTest, NoContentHasNoBody) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/no-content");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("content-type"), "");
}

// ---- limits and malformed input -----------------------------------------------------------------

TEST_F(ServerTest, OversizedBodyIs413AndCloses) {
  options_.body_limit = 1024;
  StartServer();
  Client client(port_);
  std::string body(1 << 20, 'x');  // a whole MiB: the server reads and drops it, then answers
  client.Send(RequestText("POST", "/api/v1/things", {{"Content-Type", "application/json"}}, body));
  auto r = client.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Code(), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  options_.body_limit = 1024;
  StartServer();
  Client client(port_);
  std::string chunk(800, 'x');
  std::string text = "POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) text += "320\r\n" + chunk + "\r\n";
  text += "0\r\n\r\n";
  client.Send(text);
  EXPECT_EQ(client.Read().status, 413);
}

TEST_F(ServerTest, AnnouncedOversizedBodyIsRefusedBeforeItIsSent) {
  StartServer();
  Client client(port_);
  client.Send("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
  auto r = client.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Code(), "PAYLOAD_TOO_LARGE");
}

// A route's own body limit (uploads): larger than the server's, and still enforced.
Router UploadRoutes() {
  Router r;
  r.Add("PUT", "/api/v1/upload", [](Request& req) -> boost::asio::awaitable<Response> {
    co_return JsonResponse(200, boost::json::object{{"bytes", req.body.size()}});
  }, RouteOptions{.body_limit = 4096});
  r.Add("POST", "/api/v1/small", [](Request& req) -> boost::asio::awaitable<Response> {
    co_return JsonResponse(200, boost::json::object{{"bytes", req.body.size()}});
  });
  return r;
}

TEST_F(ServerTest, RouteBodyLimitAllowsMoreThanTheServerLimitOnThatRouteOnly) {
  options_.body_limit = 1024;
  StartServer(UploadRoutes());
  auto ok = Fetch(port_, "PUT", "/api/v1/upload", {{"Content-Type", "image/png"}}, std::string(3000, 'x'));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Json().at("bytes").to_number<std::int64_t>(), 3000);
  auto small = Fetch(port_, "POST", "/api/v1/small", {{"Content-Type", "application/json"}}, std::string(3000, 'x'));
  EXPECT_EQ(small.status, 413);
  EXPECT_NE(small.ErrorMessage().find("1024"), std::string::npos);
}

TEST_F(ServerTest, RouteBodyLimitRefusesLargerBodiesAnnouncedOrChunked) {
  options_.body_limit = 1024;
  StartServer(UploadRoutes());
  auto announced = Fetch(port_, "PUT", "/api/v1/upload", {{"Content-Type", "image/png"}}, std::string(5000, 'x'));
  EXPECT_EQ(announced.status, 413);
  EXPECT_EQ(announced.Code(), "PAYLOAD_TOO_LARGE");
  EXPECT_NE(announced.ErrorMessage().find("4096"), std::string::npos) << announced.body;
  Client client(port_);
  std::string text = "PUT /api/v1/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) text += "800\r\n" + std::string(0x800, 'y') + "\r\n";
  text += "0\r\n\r\n";
  client.Send(text);
  EXPECT_EQ(client.Read().status, 413);
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePatternAndStatusClass) {
  Router routes = TestRoutes();
  auto metrics = routes.metrics();
  options_.metrics = [metrics](Request&) -> boost::asio::awaitable<Response> {
    Response res;
    res.content_type = "text/plain; version=0.0.4";
    metrics->AppendText(res.body);
    co_return res;
  };
  StartServer(std::move(routes));
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/echo/A/items/B").status, 200);
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/echo/C/items/D").status, 200);
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/throw/domain").status, 409);
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/nothing/here").status, 404);
  EXPECT_EQ(Fetch(port_, "GET", "/").status, 200);
  auto r = Fetch(port_, "GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"m(bookstamp_http_requests_total{method="GET",route="/api/v1/echo/{a}/items/{b}",code="2xx"} 2)m"),
            std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"m(bookstamp_http_requests_total{method="GET",route="/api/v1/throw/domain",code="4xx"} 1)m"),
            std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"m(bookstamp_http_requests_total{method="ANY",route="(unmatched)",code="4xx"} 1)m"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"m(bookstamp_http_requests_total{method="GET",route="(static)",code="2xx"} 1)m"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"m(bookstamp_http_request_duration_seconds_count{method="GET",route="/api/v1/echo/{a}/items/{b}"} 2)m"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"m(le="+Inf"} 2)m"), std::string::npos);
  EXPECT_EQ(r.body.find("/api/v1/echo/A/"), std::string::npos) << "raw paths never become labels";
  EXPECT_EQ(Fetch(port_, "POST", "/metrics").status, 405);
}

TEST_F(ServerTest, ExpectContinueGetsA100ThenTheAnswer) {
  StartServer();
  Client client(port_);
  std::string body = R"({"card":"C1"})";
  client.Send("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.Read().status, 100);
  client.Send(body);
  auto r = client.Read();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.Json().at("card").as_string(), "C1");
}

TEST_F(ServerTest, NonJsonBodyIs415) {
  StartServer();
  auto r = Fetch(port_, "POST", "/api/v1/things", {{"Content-Type", "text/plain"}}, "card=1");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.Code(), "UNSUPPORTED_MEDIA_TYPE");
}

TEST_F(ServerTest, MalformedJsonIs400WithField) {
  StartServer();
  auto r = Fetch(port_, "POST", "/api/v1/things", {{"Content-Type", "application/json"}}, R"({"card":)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Code(), "VALIDATION_FAILED");
  EXPECT_EQ(r.Json().at("error").at("field").as_string(), "body");
  auto missing = Fetch(port_, "POST", "/api/v1/things", {{"Content-Type", "application/json"}}, "{}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Json().at("error").at("field").as_string(), "card");
  EXPECT_EQ(missing.ErrorMessage(), "欄位「card」為必填。");
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  StartServer();
  Client client(port_);
  client.Send("THIS IS NOT HTTP\r\n\r\n");
  auto r = client.Read();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Code(), "VALIDATION_FAILED");
  EXPECT_TRUE(client.ClosedByPeer());
  // and the server is still fine
  EXPECT_EQ(Fetch(port_, "GET", "/healthz").status, 200);
}

TEST_F(ServerTest, GarbageInputNeverCrashesTheServer) {
  StartServer();
  for (std::string_view junk : {std::string_view("\r\n\r\n"), std::string_view("GET\r\n\r\n"),
                                std::string_view("GET / HTTP/9.9\r\n\r\n"), std::string_view("GET /%zz HTTP/1.1\r\n\r\n"),
                                std::string_view("GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n"),
                                std::string_view("POST /api/v1/things HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
                                std::string_view("GET / HTTP/1.1\r\nBad Header\r\n\r\n")}) {
    SCOPED_TRACE(std::string(junk));
    Client client(port_);
    client.Send(junk);
    auto r = client.Read();
    EXPECT_EQ(r.status, 400);
  }
  Client huge(port_);
  huge.Send("GET / HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(huge.Read().status, 400);
  EXPECT_EQ(Fetch(port_, "GET", "/healthz").status, 200);
}

TEST_F(ServerTest, SilentConnectionTimesOut) {
  options_.header_timeout = 1s;
  StartServer();
  Client client(port_);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

// ---- handler errors and languages ---------------------------------------------------------------

TEST_F(ServerTest, ThrownDomainErrorIsItsAnswerInTheRequestLanguage) {
  StartServer();
  auto zh = Fetch(port_, "GET", "/api/v1/throw/domain");
  EXPECT_EQ(zh.status, 409);
  EXPECT_EQ(zh.Code(), "BORROW_SUSPENDED");
  EXPECT_EQ(zh.ErrorMessage(), "借閱權停權中，2026-12-01 起可再借閱。");
  EXPECT_FALSE(zh.Json().at("error").as_object().contains("field"));
  auto en = Fetch(port_, "GET", "/api/v1/throw/domain", {{"Accept-Language", "en-US,en;q=0.9"}});
  EXPECT_EQ(en.ErrorMessage(), "Borrowing is suspended; you can borrow again from 2026-12-01.");
  auto not_found_en = Fetch(port_, "GET", "/api/v1/zzz", {{"Accept-Language", "en"}});
  EXPECT_EQ(not_found_en.ErrorMessage(), "The requested resource was not found.");
}

TEST_F(ServerTest, StoreUnavailableIs503) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/throw/unavailable");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Code(), "UNAVAILABLE");
}

TEST_F(ServerTest, BugIs500InternalNamingTheRequestId) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/throw/bug", {{"X-Request-Id", "trace-123"}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.Code(), "INTERNAL");
  EXPECT_EQ(r.Header("x-request-id"), "trace-123");
  EXPECT_NE(r.ErrorMessage().find("trace-123"), std::string::npos);
  EXPECT_EQ(r.ErrorMessage().find("a bug"), std::string::npos);  // internals stay in the log
}

// ---- headers --------------------------------------------------------------------------------------

TEST_F(ServerTest, SecurityHeadersOnEveryAnswer) {
  StartServer();
  for (const char* target : {"/api/v1/things", "/api/v1/nope", "/", "/assets/index-3f2a9c.js", "/x.png"}) {
    SCOPED_TRACE(target);
    auto r = Fetch(port_, "GET", target);
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
    EXPECT_EQ(r.Header("x-frame-options"), "DENY");
    EXPECT_NE(r.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
    EXPECT_NE(r.Header("content-security-policy").find("img-src 'self' data: blob:"), std::string::npos);
    EXPECT_NE(r.Header("content-security-policy").find("worker-src 'self'"), std::string::npos);
    EXPECT_EQ(r.Header("x-request-id").size(), 16u);
  }
}

TEST_F(ServerTest, ApiAnswersAreNotStoredUnlessTheHandlerSaysSo) {
  StartServer();
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/things").Header("cache-control"), "no-store");
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/nope").Header("cache-control"), "no-store");
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/cached").Header("cache-control"), "public, max-age=60");
}

// ---- static files ---------------------------------------------------------------------------------

TEST_F(ServerTest, StaticFilesHaveTypesAndCaching) {
  StartServer();
  auto index = Fetch(port_, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>Bookstamp</title>");
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("cache-control"), "no-cache");
  auto js = Fetch(port_, "GET", "/assets/index-3f2a9c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('app')");
  EXPECT_EQ(js.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Fetch(port_, "GET", "/assets/index-77aa.css").Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(Fetch(port_, "GET", "/manifest.webmanifest").Header("content-type"),
            "application/manifest+json; charset=utf-8");
  EXPECT_EQ(Fetch(port_, "GET", "/icon.svg").Header("content-type"), "image/svg+xml");
}

TEST_F(ServerTest, StaticHeadAndConditionalGet) {
  StartServer();
  auto head = Fetch(port_, "HEAD", "/assets/index-3f2a9c.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "18");
  EXPECT_TRUE(head.body.empty());
  std::string etag = head.Header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = Fetch(port_, "GET", "/assets/index-3f2a9c.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(ServerTest, SpaFallbackServesIndexForAppRoutes) {
  StartServer();
  auto r = Fetch(port_, "GET", "/cards/123/passbook?year=2026");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.body, "<!doctype html><title>Bookstamp</title>");
  auto missing = Fetch(port_, "GET", "/missing.png");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Code(), "NOT_FOUND");
  EXPECT_EQ(Fetch(port_, "GET", "/assets/gone-1234").status, 404);
}

TEST_F(ServerTest, PathTraversalIsRefused) {
  StartServer();
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                             "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt"}) {
    SCOPED_TRACE(target);
    auto r = Fetch(port_, "GET", target);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos);
    EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
  }
}

TEST_F(ServerTest, MissingStaticDirIs404Json) {
  options_.static_dir = (base_ / "no-such-dir").string();
  StartServer();
  auto r = Fetch(port_, "GET", "/");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Code(), "NOT_FOUND");
  EXPECT_EQ(Fetch(port_, "GET", "/cards/1").status, 404);
}

// ---- the Store bridge -----------------------------------------------------------------------------

TEST_F(ServerTest, ReadRunsOnTheStoreThreadAndResumesOnAnIoThread) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/store/read");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("value").as_int64(), 42);
  EXPECT_TRUE(r.Json().at("job_on_store_thread").as_bool());
  EXPECT_TRUE(r.Json().at("resumed_off_store_thread").as_bool());
}

TEST_F(ServerTest, WriteCommitsOrRollsBackAsTheJobSays) {
  StartServer();
  auto saved = Fetch(port_, "POST", "/api/v1/store/pair");
  EXPECT_EQ(saved.status, 201);
  EXPECT_EQ(saved.Json().at("text").as_string(), "saved");
  EXPECT_EQ(store_.commits.load(), 1);
  auto refused = Fetch(port_, "POST", "/api/v1/store/refuse");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.Code(), "OUT_OF_STOCK");
  EXPECT_EQ(store_.rollbacks.load(), 1);
}

TEST_F(ServerTest, StoreErrorsAreRethrownIntoTheHandler) {
  StartServer();
  auto r = Fetch(port_, "POST", "/api/v1/store/throw");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Code(), "UNAVAILABLE");
  store_.Close();  // submitting to a closed store throws StoreUnavailable from Submit itself
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/store/read").status, 503);
}

TEST_F(ServerTest, ManyConcurrentStoreRequests) {
  StartServer();
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i)
    clients.emplace_back([&] {
      for (int j = 0; j < 10; ++j)
        if (Fetch(port_, "GET", "/api/v1/store/read").status == 200) ++ok;
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 160);
}

// ---- graceful stop ---------------------------------------------------------------------------------

TEST_F(ServerTest, StopLetsTheRequestInFlightFinish) {
  StartServer();
  Client idle(port_);  // an idle keep-alive connection must not hold the stop up
  idle.Send(RequestText("GET", "/healthz"));
  ASSERT_EQ(idle.Read().status, 200);

  Reply slow;
  std::thread request([&] { slow = Fetch(port_, "GET", "/api/v1/slow"); });
  while (!slow_started_) std::this_thread::sleep_for(5ms);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  auto took = std::chrono::steady_clock::now() - start;
  request.join();

  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.Json().at("slow").as_string(), "done");
  EXPECT_EQ(slow.Header("connection"), "close");
  EXPECT_LT(took, 5s);
  EXPECT_TRUE(idle.ClosedByPeer());
  Client after(port_);
  EXPECT_FALSE(after.connected());
}

TEST_F(ServerTest, RunReturnsAfterStopFromAHandler) {
  Router router;
  router.Add("POST", "/api/v1/stop", [this](Request&) -> boost::asio::awaitable<Response> {
    server_->Stop();  // on an I/O thread: starts the stop and returns
    co_return Json(202, {});
  });
  server_ = std::make_unique<Server>(options_, std::move(router));
  port_ = server_->Start();
  std::thread runner([&] { server_->Run(); });
  auto r = Fetch(port_, "POST", "/api/v1/stop");
  EXPECT_EQ(r.status, 202);
  runner.join();  // Run() returned
}

}  // namespace
}  // namespace bookstamp::http
