// The SIP2 server over real TCP: a little client logs in and runs a kiosk's day.
#include "sip2/server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "sip2/sip2_test_support.hpp"

namespace bookstamp::sip2 {
namespace {
namespace asio = boost::asio;
using asio::ip::tcp;

class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void Send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  // One answer, without its CR; "" on end of stream.
  std::string Read() {
    boost::system::error_code ec;
    auto n = asio::read_until(socket_, asio::dynamic_buffer(buffer_), '\r', ec);
    if (ec) return {};
    auto out = buffer_.substr(0, n - 1);
    buffer_.erase(0, n);
    return out;
  }
  std::string Ask(const std::string& message) {
    Send(message + "\r");
    return Read();
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  std::string buffer_;
};

TEST(Sip2Server, RunsAKioskSessionOverTcp) {
  testing::KioskLibrary lib;
  Server server({"127.0.0.1", 0}, lib.deps());
  auto port = server.Start();
  Client c(port);
  EXPECT_EQ(c.Ask("9300CNkiosk1|COsecret|CPLobby|"), "941");
  auto status = c.Ask("9900302.00");
  EXPECT_EQ(status.substr(0, 8), "98YYYYNY");
  EXPECT_NE(status.find("BXYYYNYYYYYNYNNNYN|"), std::string::npos);
  auto info = c.Ask("6300120260302    100000  Y       AOA|AAC1|ACx|AD1234|");
  EXPECT_NE(info.find("AEReader One|"), std::string::npos) << info;
  EXPECT_NE(info.find("AUI3|"), std::string::npos) << info;
  auto out = c.Ask("11NN20260302    10000020260302    100000AOA|AAC1|ABI1|ACx|AD1234|");
  EXPECT_EQ(out.substr(0, 6), "121NUY") << out;
  EXPECT_NE(out.find("AFDue 2026-03-30. Points +1, balance 2|"), std::string::npos) << out;
  auto renew = c.Ask("29NN20260302    10000020260302    100000AOA|AAC1|AD1234|ABI1|ACx|");
  EXPECT_EQ(renew.substr(0, 3), "301") << renew;
  auto item = c.Ask("1720260302    100000AOA|ABI1|ACx|");
  EXPECT_EQ(item.substr(0, 4), "1804") << item;
  auto back = c.Ask("09N20260302    10000020260302    100000APA|AOA|ABI3|ACx|");
  EXPECT_EQ(back.substr(0, 6), "101YUY") << back;
  EXPECT_NE(back.find("CLHOLD|"), std::string::npos) << back;
  EXPECT_EQ(c.Ask("3520260302    100000AOA|AAC1|").substr(0, 3), "36Y");
  server.Stop();
}

TEST(Sip2Server, RefusesEverythingBeforeLoginAndKeepsTheConnection) {
  testing::KioskLibrary lib;
  Server server({"127.0.0.1", 0}, lib.deps());
  Client c(server.Start());
  EXPECT_EQ(c.Ask("1720260302    100000AOA|ABI1|").substr(0, 4), "1801");
  EXPECT_EQ(c.Ask("garbage"), "96");
  EXPECT_EQ(c.Ask("9300CNkiosk1|COsecret|"), "941");
}

TEST(Sip2Server, FramesPipelinedSplitAndCrlfMessages) {
  testing::KioskLibrary lib;
  Server server({"127.0.0.1", 0}, lib.deps());
  Client c(server.Start());
  c.Send("9300CNkiosk1|COsecret|\r\n9900302.00\r\n99003");
  EXPECT_EQ(c.Read(), "941");
  EXPECT_EQ(c.Read().substr(0, 2), "98");
  c.Send("02.00\r");
  EXPECT_EQ(c.Read().substr(0, 2), "98");
}

TEST(Sip2Server, ClosesIdleConnections) {
  testing::KioskLibrary lib;
  ServerOptions options{"127.0.0.1", 0};
  options.idle_timeout = std::chrono::milliseconds(200);
  Server server(options, lib.deps());
  Client c(server.Start());
  EXPECT_EQ(c.Ask("9300CNkiosk1|COsecret|"), "941");
  EXPECT_EQ(c.Read(), "");  // the server closed it
}

TEST(Sip2Server, DefaultIdleTimeoutOutlastsAKioskStatusPoll) {
  EXPECT_GT(ServerOptions{}.idle_timeout, std::chrono::minutes(7));
}

}  // namespace
}  // namespace bookstamp::sip2

namespace bookstamp::sip2 {
namespace {

TEST(Sip2Server, KioskConfiguredForNoLoginNeedsNo93FromItsAddress) {
  testing::KioskLibrary lib;
  Deps deps = lib.deps();
  deps.accounts = {{"lobby", "unused", "A", Charset::kUtf8, false, "127.0.0.1"}};
  Server server({"127.0.0.1", 0}, deps);
  Client c(server.Start());
  // Item information answers at once: the session started logged in as "lobby".
  EXPECT_EQ(c.Ask("1720260302    100000AOA|ABI1|").substr(0, 4), "1803");
  server.Stop();
}

TEST(Sip2Server, NoLoginAddressOtherThanThePeerStillRequiresLogin) {
  testing::KioskLibrary lib;
  Deps deps = lib.deps();
  deps.accounts = {{"lobby", "unused", "A", Charset::kUtf8, false, "10.9.9.9"}};
  Server server({"127.0.0.1", 0}, deps);
  Client c(server.Start());
  EXPECT_EQ(c.Ask("1720260302    100000AOA|ABI1|").substr(0, 4), "1801");
  server.Stop();
}

}  // namespace
}  // namespace bookstamp::sip2
