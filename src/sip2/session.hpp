// One SIP2 connection's state machine: login first, then requests answered through the app layer.
// Transport-free (server.cpp feeds it messages), so tests can replay saved transcripts. docs/sip2.md.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "sip2/codec.hpp"

namespace bookstamp::sip2 {

// A kiosk login (config [[sip2.accounts]]).
struct Account {
  std::string username;  // 93 CN
  std::string password;  // 93 CO
  std::string branch;    // the branch the kiosk stands in; also the institution id (AO)
  Charset charset = Charset::kUtf8;
  bool error_detection = false;  // AY/AZ on answers
  // A kiosk at this address needs no 93 login: its sessions start logged in as this account
  // (API.md: "unless the account is configured for no login"). Empty: login required.
  std::string no_login_from;
};

struct Deps {
  Store& store;
  const Clock& clock;
  const TimeZone& tz;
  boost::asio::thread_pool& slow_pool;  // argon2id PIN checks, off the I/O thread
  std::vector<Account> accounts;
  std::string library_name = "Bookstamp";
};

class Session {
 public:
  // REQUIRES: `deps` outlives the session.
  Session(const Deps& deps, std::string peer);

  // Answers one message (the bytes up to and including its terminator, which may be missing).
  // Returns the bytes to send, or "" when nothing is to be sent. Never throws for bad input;
  // infrastructure failures are logged and answered as refusals ("system unavailable").
  boost::asio::awaitable<std::string> Handle(std::string bytes);

  bool logged_in() const { return account_ != nullptr; }
  Charset charset() const { return account_ ? account_->charset : Charset::kUtf8; }

 private:
  boost::asio::awaitable<Message> Dispatch(const Message& req);
  boost::asio::awaitable<Message> Login(const Message& req);
  Message Status();
  boost::asio::awaitable<Message> PatronStatus(const Message& req, bool information);
  boost::asio::awaitable<Message> Checkout(const Message& req);
  boost::asio::awaitable<Message> Checkin(const Message& req);
  boost::asio::awaitable<Message> ItemInformation(const Message& req);
  boost::asio::awaitable<Message> Renew(const Message& req);
  boost::asio::awaitable<Message> EndSession(const Message& req);
  // PIN check: nullopt when no AD was sent; otherwise whether it matched (rate limited, off-thread).
  boost::asio::awaitable<std::optional<bool>> CheckPin(const Message& req);

  std::string Now() const;
  Env env() const { return Env{deps_.clock, deps_.tz}; }
  Actor actor() const;

  const Deps& deps_;
  std::string peer_;
  const Account* account_ = nullptr;
  std::string location_;  // 93 CP
  std::string last_sent_;  // for 97
  int next_sequence_ = 0;
  // The last card and PIN that verified, so a kiosk sending AD on every message costs one argon2id.
  std::string verified_card_;
  std::string verified_pin_;
};

// The refusal answer to a request (its response code, failure flags, AF `message`); 96 for
// requests without a response form.
Message Refusal(const Message& req, const std::string& now, const std::string& branch, const std::string& message);

}  // namespace bookstamp::sip2
