// A small library for SIP2 session and server tests: branches A and B, cards C1 (PIN 1234) and C2
// (PIN 5678), a few copies, kiosk accounts, a fixed clock (Monday 2026-03-02 10:00 Taipei).
#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"
#include "sip2/session.hpp"

namespace bookstamp::sip2::testing {

class KioskLibrary {
 public:
  KioskLibrary() {
    lib_.AddBranch("A");
    lib_.AddBranch("B");
    AddCard("C1", "Reader One", "1234");
    AddCard("C2", "Reader Two", "5678");
    lib_.AddBib("Dune", {{"I1", "A"}, {"I2", "A"}});
    emma_ = lib_.AddBib("Emma", {{"I3", "A"}});
    lib_.AddBib("Caf\xC3\xA9 stories", {{"I4", "A"}});
    lib_.AddBib("Atlas", {{"I5", "A", false}});
    lib_.AddBib("Ulysses", {{"I6", "A"}});
    // I3 is out to C1 at the counter and C2 waits for Emma; I6 is out to C2.
    EXPECT_TRUE(lib_.Checkout("C1", "I3", "A"));
    EXPECT_TRUE(lib_.Hold("C2", emma_, "A"));
    EXPECT_TRUE(lib_.Checkout("C2", "I6", "A"));
    deps_ = std::make_unique<Deps>(Deps{lib_.store(), clock_ref(), lib_.tz(), pool_, Accounts(), "Bookstamp Test"});
  }

  static std::vector<Account> Accounts() {
    return {{"kiosk1", "secret", "A", Charset::kUtf8, false},
            {"kiosk2", "secret2", "A", Charset::kUtf8, true},
            {"kiosk3", "secret3", "B", Charset::kCp850, false}};
  }

  const Deps& deps() { return *deps_; }
  bookstamp::testing::Library& lib() { return lib_; }

 private:
  void AddCard(const std::string& number, const std::string& name, const std::string& pin) {
    auto hash = crypto::HashPassword(pin);
    ASSERT_TRUE(lib_.Do([&](SqlTx& tx) {
      return CreatePatron(tx, lib_.env(), lib_.actor(), {name, std::nullopt, number, CardType::kPersonal, hash});
    }));
  }
  const Clock& clock_ref() { return lib_.env().clock; }

  bookstamp::testing::Library lib_;
  BibId emma_;
  boost::asio::thread_pool pool_{1};
  std::unique_ptr<Deps> deps_;
};

// Runs one Session::Handle to completion on a private io_context.
inline std::string HandleSync(Session& session, const std::string& bytes) {
  boost::asio::io_context io;
  std::string out;
  std::exception_ptr error;
  boost::asio::co_spawn(io, session.Handle(bytes), [&](std::exception_ptr e, std::string r) {
    error = e;
    out = std::move(r);
  });
  io.run();
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace bookstamp::sip2::testing
