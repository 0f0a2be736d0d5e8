// CurlPushTransport against a real HTTP listener on loopback: the address check, Retry-After.
#include "notify/curl_push_transport.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

namespace bookstamp::notify {
namespace {

// Answers every connection with `reply` until destroyed; counts the connections it accepted.
class OneLineServer {
 public:
  explicit OneLineServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 8);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0 || stopping_) {
          if (c >= 0) ::close(c);
          return;
        }
        ++accepted_;
        std::string request;
        char buf[4096];
        // Headers, then the body's Content-Length bytes (the pushes here are small).
        while (request.find("\r\n\r\n") == std::string::npos) {
          const auto n = ::read(c, buf, sizeof buf);
          if (n <= 0) break;
          request.append(buf, static_cast<std::size_t>(n));
        }
        ::write(c, reply_.data(), reply_.size());
        ::close(c);
      }
    });
  }
  ~OneLineServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/push/abc"; }
  int accepted() const { return accepted_; }

 private:
  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

PushRequest Request(const std::string& url) { return {url, {{"TTL", "60"}}, "body"}; }

class CurlPushTransportTest : public ::testing::Test {
 protected:
  CurlPushTransportTest() {
    for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"}) ::unsetenv(name);
  }
};

TEST_F(CurlPushTransportTest, RefusesALoopbackEndpointWithoutConnecting) {
  OneLineServer server("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  CurlPushTransport transport(5, /*allow_local=*/false);
  const PushResponse r = transport.Post(Request(server.Url()));
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.refused_address);
  EXPECT_EQ(server.accepted(), 0);
}

TEST_F(CurlPushTransportTest, PostsToALocalEndpointWhenAllowed) {
  OneLineServer server("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  CurlPushTransport transport(5, /*allow_local=*/true);
  const PushResponse r = transport.Post(Request(server.Url()));
  EXPECT_EQ(r.status, 201);
  EXPECT_FALSE(r.refused_address);
  EXPECT_FALSE(r.retry_after.has_value());
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(CurlPushTransportTest, ReadsRetryAfter) {
  OneLineServer server("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n");
  CurlPushTransport transport(5, /*allow_local=*/true);
  const PushResponse r = transport.Post(Request(server.Url()));
  EXPECT_EQ(r.status, 429);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(r.retry_after->count(), 120);
}

bool Public(const char* text) {
  sockaddr_storage s{};
  if (::inet_pton(AF_INET, text, &reinterpret_cast<sockaddr_in*>(&s)->sin_addr) == 1) {
    s.ss_family = AF_INET;
  } else {
    EXPECT_EQ(::inet_pton(AF_INET6, text, &reinterpret_cast<sockaddr_in6*>(&s)->sin6_addr), 1) << text;
    s.ss_family = AF_INET6;
  }
  return IsPublicAddress(reinterpret_cast<const sockaddr*>(&s));
}

TEST(IsPublicAddress, RefusesLocalPrivateAndReservedRanges) {
  for (const char* a : {"0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.8.8.8", "169.254.169.254", "172.16.0.1",
                        "172.31.255.255", "192.168.1.1", "192.0.2.5", "198.18.0.1", "224.0.0.1", "255.255.255.255",
                        "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "2001:db8::1", "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(Public(a)) << a;
  }
  for (const char* a : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "142.250.72.14", "2607:f8b0:4005:80a::200a",
                        "2a00:1450:4001::1", "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(Public(a)) << a;
  }
}

}  // namespace
}  // namespace bookstamp::notify
