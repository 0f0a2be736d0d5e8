// SIP2 session: see session.hpp and docs/sip2.md. Each handler converts: SIP2 fields in, an app use
// case (in a Store job), SIP2 fields out.
#include "sip2/session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/circulation.hpp"
#include "app/crypto.hpp"
#include "app/ledger.hpp"
#include "app/repo.hpp"
#include "app/sessions.hpp"
#include "domain/time.hpp"
#include "sip2/store_await.hpp"

namespace bookstamp::sip2 {
namespace {
namespace asio = boost::asio;

// 98 BX: 23 11 09 01 99 97 93 63 35 37 17 19 25 15 29 65.
constexpr std::string_view kSupportedMessages = "YYYNYYYYYNYNNNYN";

std::string YN(bool b) { return b ? "Y" : "N"; }

std::string Count4(std::size_t n) { return fmt::format("{:04d}", std::min<std::size_t>(n, 9999)); }

std::string DayDate(Date d) { return SipDateOfDay(FormatDate(d)); }

std::string Describe(ErrorCode code) {
  switch (code) {
    case ErrorCode::kCardNotFound: return "Card not found";
    case ErrorCode::kCardNotActive: return "Card is not active";
    case ErrorCode::kBorrowSuspended: return "Borrowing is suspended";
    case ErrorCode::kOverdueItems: return "Overdue items must be returned first";
    case ErrorCode::kLoanLimitReached: return "Loan limit reached";
    case ErrorCode::kItemNotFound: return "Item not found";
    case ErrorCode::kItemNotLoanable: return "Item cannot be borrowed";
    case ErrorCode::kItemOnLoan: return "Item is already on loan";
    case ErrorCode::kItemHeldForAnother: return "Item is on hold for another reader";
    case ErrorCode::kLoanOverdue: return "Loan is overdue";
    case ErrorCode::kRenewalLimit: return "Renewal limit reached";
    case ErrorCode::kTitleReserved: return "Another reader is waiting for this title";
    case ErrorCode::kBranchNotFound: return "Branch not found";
    case ErrorCode::kRateLimited: return "Too many attempts, try later";
    default: return std::string(ToString(code));
  }
}

std::string PointsText(const PointsOutcome& p) {
  if (p.credited > 0) return fmt::format("Points +{}, balance {}", p.credited, p.balance);
  return fmt::format("No points ({}), balance {}", p.reason ? ToString(*p.reason) : "NONE", p.balance);
}

// 14 patron-status flags (SIP2 2.00): 0 charge denied, 1 renewal denied, 2 recall denied, 3 hold
// denied, 4 card reported lost, 5 too many charged, 6 too many overdue, ... blank when false.
struct PatronData {
  bool exists = false;
  std::string name;
  CardStatusView status;
  std::vector<LoanView> loans;
  std::vector<HoldView> holds;
  Balance balance;
  int max_loans = 0;
  int max_holds = 0;
};

std::string PatronStatusFlags(const PatronData& p) {
  std::string f(14, ' ');
  if (!p.exists) {
    f[0] = f[1] = f[2] = f[3] = 'Y';
    return f;
  }
  bool active = p.status.status == CardStatus::kActive;
  bool suspended = p.status.standing.borrow_resumes_on.has_value();
  auto overdue = std::count_if(p.loans.begin(), p.loans.end(), [](const LoanView& l) { return l.overdue_days > 0; });
  bool too_many = static_cast<int>(p.loans.size()) >= p.max_loans;
  if (!active || suspended || overdue > 0 || too_many) f[0] = 'Y';
  if (!active || suspended) f[1] = 'Y';
  if (!active || p.status.standing.reserve_resumes_on) f[3] = 'Y';
  if (p.status.status == CardStatus::kLost) f[4] = 'Y';
  if (too_many) f[5] = 'Y';
  if (overdue > 0) f[6] = 'Y';
  return f;
}

PatronData LoadPatron(SqlTx& tx, const Env& env, const CardNumber& card) {
  PatronData p;
  auto c = repo::FindCard(tx, card);
  if (!c) return p;
  p.exists = true;
  p.name = CardHolderName(tx, card).value_or("");
  if (auto s = CardStatusOf(tx, env, card)) p.status = *s;
  p.loans = CardLoans(tx, env, card);
  std::erase_if(p.loans, [](const LoanView& l) { return l.returned_at.has_value(); });
  p.holds = CardHolds(tx, env, card);
  p.balance = BalanceOf(tx, card);
  auto policy = repo::LoadPolicy(tx).For(c->type);
  p.max_loans = policy.max_loans;
  p.max_holds = policy.max_holds;
  return p;
}

// Adds `values` as repeated `id` fields, limited to the 1-based range BP..BQ when given.
void AddList(Message& m, const std::string& id, const std::vector<std::string>& values, const Message& req) {
  std::size_t start = 1, end = values.size();
  if (auto bp = req.Field("BP"); bp && !bp->empty() && std::all_of(bp->begin(), bp->end(), ::isdigit))
    start = std::max<std::size_t>(1, std::stoul(bp->substr(0, 6)));
  if (auto bq = req.Field("BQ"); bq && !bq->empty() && std::all_of(bq->begin(), bq->end(), ::isdigit))
    end = std::min<std::size_t>(end, std::stoul(bq->substr(0, 6)));
  for (std::size_t i = start; i <= end; ++i) m.Add(id, values[i - 1]);
}

// Password comparison that does not stop at the first differing byte (only the length leaks).
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || b.empty()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  return diff == 0;
}

}  // namespace

Message Refusal(const Message& req, const std::string& now, const std::string& branch, const std::string& message) {
  Message m;
  // AO is the kiosk's branch once logged in; before, whatever the kiosk sent.
  auto ao = branch.empty() ? req.FieldOr("AO") : branch;
  if (req.code == "93") {
    m.code = "94";
    m.fixed = "0";
    return m;
  }
  if (req.code == "23" || req.code == "63") {
    m.code = req.code == "23" ? "24" : "64";
    m.fixed = "YYYY          000" + now;
    if (req.code == "63") m.fixed += std::string(24, '0');
    m.Add("AO", ao).Add("AA", req.FieldOr("AA")).Add("AE", "").Add("BL", "N").Add("CQ", "N");
  } else if (req.code == "11" || req.code == "29") {
    m.code = req.code == "11" ? "12" : "30";
    m.fixed = "0NNN" + now;
    m.Add("AO", ao).Add("AA", req.FieldOr("AA")).Add("AB", req.FieldOr("AB")).Add("AJ", "");
  } else if (req.code == "09") {
    m.code = "10";
    m.fixed = "0NNN" + now;
    m.Add("AO", ao).Add("AB", req.FieldOr("AB")).Add("AQ", "");
  } else if (req.code == "17") {
    m.code = "18";
    m.fixed = "010001" + now;
    m.Add("AB", req.FieldOr("AB")).Add("AJ", "");
  } else if (req.code == "35") {
    m.code = "36";
    m.fixed = "N" + now;
    m.Add("AO", ao).Add("AA", req.FieldOr("AA"));
  } else if (req.code == "99") {
    m.code = "98";
    m.fixed = "NNNNNN000003" + now + "2.00";
    m.Add("AO", ao).Add("BX", std::string(16, 'N'));
  } else {
    m.code = "96";
    return m;
  }
  if (!message.empty()) m.Add("AF", message);
  return m;
}

Session::Session(const Deps& deps, std::string peer) : deps_(deps), peer_(std::move(peer)) {
  for (const auto& a : deps_.accounts)
    if (!a.no_login_from.empty() && a.no_login_from == peer_) account_ = &a;
}

std::string Session::Now() const { return SipDateFromRfc3339(deps_.tz.Rfc3339(deps_.clock.Now())); }

Actor Session::actor() const { return Actor::System("kiosk:" + (account_ ? account_->username : std::string())); }

asio::awaitable<std::string> Session::Handle(std::string bytes) {
  auto parsed = ParseRequest(bytes, charset());
  bool detect = account_ ? account_->error_detection : false;
  std::optional<int> sequence;
  auto next_sequence = [&] {
    int s = next_sequence_;
    next_sequence_ = (next_sequence_ + 1) % 10;
    return s;
  };
  if (!parsed) {
    if (parsed.error() == ParseError::kEmpty) co_return std::string();
    spdlog::info("sip2 {}: {} ({} bytes)", peer_, ToString(parsed.error()), bytes.size());
    // 96 asks the kiosk to send its message again; it carries no sequence of its own.
    Message resend;
    resend.code = "96";
    co_return Format(resend, charset(), detect ? std::optional<int>(next_sequence()) : std::nullopt);
  }
  const Message& req = *parsed;
  if (req.code == "97" || req.code == "96") {
    if (!last_sent_.empty()) co_return last_sent_;
    Message resend;
    resend.code = "96";
    co_return Format(resend, charset(), detect ? std::optional<int>(next_sequence()) : std::nullopt);
  }
  Message answer;
  try {
    answer = co_await Dispatch(req);
  } catch (const std::exception& e) {
    spdlog::error("sip2 {}: {} failed: {}", peer_, req.code, e.what());
    answer = Refusal(req, Now(), account_ ? account_->branch : "", "System unavailable, please ask staff");
  }
  // A login may have just switched error detection on (or off).
  detect = account_ ? account_->error_detection : req.sequence.has_value();
  if (detect) sequence = req.sequence ? *req.sequence : next_sequence();
  last_sent_ = Format(answer, charset(), sequence);
  co_return last_sent_;
}

asio::awaitable<Message> Session::Dispatch(const Message& req) {
  if (req.code == "93") co_return co_await Login(req);
  if (!account_) co_return Refusal(req, Now(), "", "Please log in first");
  if (req.code == "99") co_return Status();
  if (req.code == "23") co_return co_await PatronStatus(req, false);
  if (req.code == "63") co_return co_await PatronStatus(req, true);
  if (req.code == "11") co_return co_await Checkout(req);
  if (req.code == "09") co_return co_await Checkin(req);
  if (req.code == "17") co_return co_await ItemInformation(req);
  if (req.code == "29") co_return co_await Renew(req);
  if (req.code == "35") co_return co_await EndSession(req);
  co_return Refusal(req, Now(), account_->branch, "");
}

asio::awaitable<Message> Session::Login(const Message& req) {
  auto user = req.FieldOr("CN");
  auto password = req.FieldOr("CO");
  const Account* found = nullptr;
  for (const auto& a : deps_.accounts)
    if (a.username == user && ConstantTimeEquals(password, a.password)) found = &a;
  account_ = found;
  location_ = req.FieldOr("CP");
  Message m;
  m.code = "94";
  m.fixed = found ? "1" : "0";
  spdlog::info("sip2 {}: login {} {}", peer_, user, found ? "ok" : "refused");
  co_return m;
}

Message Session::Status() {
  Message m;
  m.code = "98";
  // online, checkin ok, checkout ok, ACS renewal policy, status update, offline ok, timeout
  // (tenths of a second), retries, date, protocol version.
  m.fixed = "YYYYNY050003" + Now() + "2.00";
  m.Add("AO", account_->branch).Add("AM", deps_.library_name).Add("BX", std::string(kSupportedMessages));
  if (!location_.empty()) m.Add("AN", location_);
  return m;
}

asio::awaitable<std::optional<bool>> Session::CheckPin(const Message& req) {
  auto pin = req.Field("AD");
  if (!pin || pin->empty()) co_return std::nullopt;
  auto card = req.FieldOr("AA");
  if (card == verified_card_ && *pin == verified_pin_) co_return true;
  auto env = this->env();
  auto key = "card:" + card;
  CardNumber number(card);
  auto loaded = co_await ReadJob(deps_.store, [&](SqlTx& tx) -> Result<std::optional<Credential>> {
    if (auto ok = CheckLoginRate(tx, env, key, peer_); !ok) return Fail(ok.error());
    return LoadCardCredential(tx, number);
  });
  if (!loaded) co_return false;
  auto self = co_await asio::this_coro::executor;
  co_await asio::post(deps_.slow_pool.get_executor(), asio::use_awaitable);
  // An unknown card costs the same argon2id as a known one, so timing does not tell them apart.
  static const std::string dummy_hash = crypto::HashPassword("bookstamp-sip2-no-such-card");
  bool ok = crypto::VerifyPassword(*loaded ? (*loaded)->hash : dummy_hash, *pin) && loaded->has_value();
  co_await asio::post(self, asio::use_awaitable);
  if (!ok) {
    co_await WriteJob(deps_.store, [&](SqlTx& tx) -> Result<bool> {
      RecordLoginFailure(tx, env, key, peer_);
      return true;
    });
    co_return false;
  }
  verified_card_ = card;
  verified_pin_ = *pin;
  co_return true;
}

asio::awaitable<Message> Session::PatronStatus(const Message& req, bool information) {
  auto now = Now();
  auto pin = co_await CheckPin(req);
  auto env = this->env();
  CardNumber card(req.FieldOr("AA"));
  auto p = co_await ReadJob(deps_.store, [&](SqlTx& tx) { return LoadPatron(tx, env, card); });
  bool pin_ok = pin.value_or(false);
  if (pin && !*pin) {
    // A wrong PIN learns nothing about the card.
    co_return Refusal(req, now, account_->branch, "Wrong card number or PIN");
  }
  Message m;
  m.code = information ? "64" : "24";
  m.fixed = PatronStatusFlags(p) + "000" + now;
  std::vector<std::string> hold_items, overdue_items, charged_items, unavailable_holds;
  for (const auto& h : p.holds) {
    auto what = h.item_barcode ? h.item_barcode->value() : h.title;
    if (h.status == HoldStatus::kReady) hold_items.push_back(what);
    else if (h.status == HoldStatus::kWaiting || h.status == HoldStatus::kInTransit)
      unavailable_holds.push_back(h.title);
  }
  for (const auto& l : p.loans) {
    charged_items.push_back(l.item_barcode.value());
    if (l.overdue_days > 0) overdue_items.push_back(l.item_barcode.value());
  }
  if (information) {
    m.fixed += Count4(hold_items.size()) + Count4(overdue_items.size()) + Count4(charged_items.size()) + "0000" +
               "0000" + Count4(unavailable_holds.size());
  }
  m.Add("AO", account_->branch).Add("AA", card.value()).Add("AE", p.name);
  if (information && p.exists) {
    m.Add("BZ", Count4(p.max_holds)).Add("CB", Count4(p.max_loans));
  }
  m.Add("BL", YN(p.exists));
  if (pin) m.Add("CQ", YN(pin_ok));
  if (information && p.exists) {
    auto summary = req.fixed.substr(21, 10);
    auto want = [&](std::size_t i) { return summary.size() > i && summary[i] == 'Y'; };
    if (want(0)) AddList(m, "AS", hold_items, req);
    if (want(1)) AddList(m, "AT", overdue_items, req);
    if (want(2)) AddList(m, "AU", charged_items, req);
    if (want(5)) AddList(m, "CD", unavailable_holds, req);
  }
  if (p.exists) {
    m.Add("AF", fmt::format("Points balance {}", p.balance.balance));
    if (p.status.standing.borrow_resumes_on)
      m.Add("AF", fmt::format("Borrowing suspended until {}", FormatDate(*p.status.standing.borrow_resumes_on)));
  } else {
    m.Add("AF", "Card not found");
  }
  co_return m;
}

asio::awaitable<Message> Session::Checkout(const Message& req) {
  auto now = Now();
  bool no_block = req.fixed.size() > 1 && req.fixed[1] == 'Y';
  if (!req.Field("AA") || !req.Field("AB")) co_return Refusal(req, now, account_->branch, "Card and item required");
  auto pin = co_await CheckPin(req);
  if (pin && !*pin) co_return Refusal(req, now, account_->branch, "Wrong card number or PIN");
  auto env = this->env();
  auto actor = this->actor();
  CheckoutRequest in{CardNumber(req.FieldOr("AA")), ItemBarcode(req.FieldOr("AB")), BranchCode(account_->branch),
                     Channel::kKiosk};
  Result<OfflineCheckoutResult> r = std::unexpected(DomainError(ErrorCode::kUnavailable));
  if (no_block) {
    r = co_await WriteJob(deps_.store, [&](SqlTx& tx) { return CheckOutOffline(tx, env, actor, in); });
  } else {
    r = co_await WriteJob(deps_.store, [&](SqlTx& tx) -> Result<OfflineCheckoutResult> {
      auto c = CheckOut(tx, env, actor, in);
      if (!c) return Fail(c.error());
      return OfflineCheckoutResult{std::move(*c), std::nullopt};
    });
  }
  if (!r) co_return Refusal(req, now, account_->branch, Describe(r.error().code));
  const auto& loan = r->checkout.loan;
  Message m;
  m.code = "12";
  // ok, renewal ok, magnetic media (unknown), desensitize.
  m.fixed = "1NUY" + now;
  m.Add("AO", account_->branch)
      .Add("AA", in.card.value())
      .Add("AB", in.item_barcode.value())
      .Add("AJ", loan.title)
      .Add("AH", DayDate(loan.due_on));
  std::string screen = fmt::format("Due {}. {}", FormatDate(loan.due_on), PointsText(r->checkout.points));
  if (r->review_reason) screen += fmt::format(". Recorded for staff review ({})", ToString(*r->review_reason));
  m.Add("AF", screen);
  co_return m;
}

asio::awaitable<Message> Session::Checkin(const Message& req) {
  auto now = Now();
  if (!req.Field("AB")) co_return Refusal(req, now, account_->branch, "Item required");
  auto env = this->env();
  auto actor = this->actor();
  ItemBarcode barcode(req.FieldOr("AB"));
  BranchCode branch(account_->branch);
  auto r = co_await WriteJob(deps_.store, [&](SqlTx& tx) { return CheckIn(tx, env, actor, barcode, branch); });
  if (!r) co_return Refusal(req, now, account_->branch, Describe(r.error().code));
  Message m;
  m.code = "10";
  bool alert = r->hold.has_value();
  // ok, resensitize, magnetic media (unknown), alert.
  m.fixed = std::string("1Y") + "U" + YN(alert) + now;
  m.Add("AO", account_->branch).Add("AB", barcode.value()).Add("AQ", account_->branch);
  if (r->loan) m.Add("AJ", r->loan->title).Add("AA", r->loan->card.value());
  if (r->hold) {
    bool here = r->hold->status == HoldStatus::kReady;
    m.Add("CL", here ? "HOLD" : "TRANSIT " + r->hold->pickup_branch.value());
    m.Add("CV", here ? "01" : "02");
    m.Add("AF", here ? "Hold for a reader here: put on the hold shelf"
                     : "Hold for a reader at " + r->hold->pickup_branch.value() + ": send in transit");
  } else {
    m.Add("AF", r->loan ? (r->overdue_days > 0 ? fmt::format("Returned, {} days overdue", r->overdue_days)
                                                : std::string("Returned, thank you"))
                        : std::string("Item was not on loan"));
  }
  co_return m;
}

asio::awaitable<Message> Session::ItemInformation(const Message& req) {
  auto now = Now();
  if (!req.Field("AB")) co_return Refusal(req, now, account_->branch, "Item required");
  auto env = this->env();
  ItemBarcode barcode(req.FieldOr("AB"));
  auto r = co_await ReadJob(deps_.store, [&](SqlTx& tx) { return ItemStatusOf(tx, env, barcode); });
  if (!r) co_return Refusal(req, now, account_->branch, Describe(r.error().code));
  std::string circulation = "03";  // available
  if (r->loan) circulation = "04";  // charged
  else if (r->trapped_for && r->trapped_for->status == HoldStatus::kReady) circulation = "08";  // on hold shelf
  else if (r->trapped_for) circulation = "10";  // in transit
  else if (!r->loanable) circulation = "01";    // other
  Message m;
  m.code = "18";
  // circulation status, security marker (other), fee type (other), date.
  m.fixed = circulation + "0001" + now;
  m.Add("AB", barcode.value()).Add("AJ", r->title).Add("CF", Count4(r->waiting_holds));
  if (r->loan) m.Add("AH", DayDate(r->loan->due_on));
  if (r->trapped_for && r->trapped_for->pickup_by) m.Add("CM", DayDate(*r->trapped_for->pickup_by));
  m.Add("AQ", r->branch.value()).Add("AP", r->branch.value()).Add("CK", r->item_type == "book" ? "001" : "000");
  co_return m;
}

asio::awaitable<Message> Session::Renew(const Message& req) {
  auto now = Now();
  if (!req.Field("AA") || !req.Field("AB")) co_return Refusal(req, now, account_->branch, "Card and item required");
  auto pin = co_await CheckPin(req);
  if (pin && !*pin) co_return Refusal(req, now, account_->branch, "Wrong card number or PIN");
  auto env = this->env();
  auto actor = this->actor();
  CardNumber card(req.FieldOr("AA"));
  ItemBarcode barcode(req.FieldOr("AB"));
  auto r = co_await WriteJob(deps_.store, [&](SqlTx& tx) -> Result<LoanView> {
    auto item = ItemStatusOf(tx, env, barcode);
    if (!item) return Fail(item.error());
    // Only the card's own loan: another card's item reads as not found.
    if (!item->loan || item->loan->card != card) return Fail(ErrorCode::kNotFound);
    return RenewLoan(tx, env, actor, card, item->loan->id);
  });
  if (!r) {
    auto msg = r.error().code == ErrorCode::kNotFound ? std::string("Item is not on loan to this card")
                                                      : Describe(r.error().code);
    co_return Refusal(req, now, account_->branch, msg);
  }
  Message m;
  m.code = "30";
  m.fixed = "1YUN" + now;
  m.Add("AO", account_->branch)
      .Add("AA", card.value())
      .Add("AB", barcode.value())
      .Add("AJ", r->title)
      .Add("AH", DayDate(r->due_on))
      .Add("AF", fmt::format("Renewed, due {}", FormatDate(r->due_on)));
  co_return m;
}

asio::awaitable<Message> Session::EndSession(const Message& req) {
  verified_card_.clear();
  verified_pin_.clear();
  Message m;
  m.code = "36";
  m.fixed = "Y" + Now();
  m.Add("AO", account_->branch).Add("AA", req.FieldOr("AA")).Add("AF", "Goodbye");
  co_return m;
}

}  // namespace bookstamp::sip2
