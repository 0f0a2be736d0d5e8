// `bookstamp demo`: fills a fresh data directory with a believable Taichung City Library — 44 branches,
// a catalog, patrons and 90 days of circulation replayed through the real use cases on a test clock,
// so every loan, point, hold and suspension is one the rules gave. Records come from demo_data.hpp.
#include "cli/demo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <unordered_map>

#include "app/admin.hpp"
#include "app/catalog.hpp"
#include "app/circulation.hpp"
#include "app/content.hpp"
#include "app/events.hpp"
#include "app/prizes.hpp"
#include "app/context.hpp"
#include "app/crypto.hpp"
#include "cli/config.hpp"
#include "cli/demo_data.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace bookstamp {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using demo::Rng;

constexpr int kDays = 90;                // simulated history before today
constexpr int kJobSize = 300;            // records per write job while building
constexpr char kPassword[] = "bookstamp-demo";
constexpr char kPin[] = "1234";
constexpr char kShowcaseCard[] = "T000000001";
constexpr char kFamilyCard[] = "T000000002";
constexpr char kSuspendedCard[] = "T000000003";

void PrintLogins() {
  fmt::print(
      "Demo logins (PIN and passwords are the same for every demo account):\n"
      "  patron 林小書 (personal card)     card {}  PIN {}   → /login\n"
      "  family card 林家, not linked yet   card {}  PIN {}   → link it under 帳號管理\n"
      "  suspended patron (停權)            card {}  PIN {}\n"
      "  system admin                       admin / {}   → /staff\n"
      "  counter staff at 總館 (MAIN)       main-counter / {}\n"
      "  branch admin at 總館 (MAIN)        main-admin / {}\n"
      "  auditor                            auditor / {}\n",
      kShowcaseCard, kPin, kFamilyCard, kPin, kSuspendedCard, kPin, kPassword, kPassword, kPassword, kPassword);
}

void EnsureSecretKey(const fs::path& path) {
  if (fs::exists(path)) return;
  auto key = crypto::RandomBytes(32);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
}

// How a loan ends: a random patron's habits, or a script for the showcase cards.
enum class Plan { kRandom, kPromptly, kKeep, kReturnOn };

struct OpenLoan {
  LoanId id;
  int card = -1;
  Date out_on;
  Date due;
  std::optional<Date> renew_on;
  Date return_on;  // Date::max(): kept past today
  bool fixed = false;  // the script's date: returned even when the branch is closed (book drop)
  int return_branch = 0;
};

struct ItemState {
  ItemBarcode barcode;
  int bib = -1;
  int branch = 0;      // where the copy is now (check-in moves it: a floating collection)
  int shelf_pos = -1;  // index in BranchState::shelf
  bool loanable = true;
  bool attachment = false;
  bool scripted = false;  // a showcase copy: never taken off the shelf at random
  std::optional<OpenLoan> loan;
};

struct BibState {
  BibId id;
  std::vector<int> items;
  bool scripted = false;
};

struct CardState {
  CardNumber number;
  CardType type = CardType::kPersonal;
  int home = 0;
  double activity = 0;
  bool scripted = false;  // showcase and helper cards act only when the script says so
};

struct BranchState {
  BranchCode code;
  bool mobile = false;
  bool closed_mondays = false;
  bool big = false;
  std::vector<int> shelf;  // items whose current branch this is
};

// One thing that happens at a branch or in the app. Indexes point into DemoCity's vectors.
struct Op {
  enum class Kind { kVisit, kReturn, kRenew, kRenewLatest, kPickup, kPlaceHold, kCancelHold };
  Instant at;
  Kind kind = Kind::kVisit;
  int card = -1;
  int item = -1;    // visit: this copy instead of `count` picked from the shelf
  int branch = 0;   // where it happens; for a hold, the pickup branch
  int bib = -1;
  int count = 0;
  HoldId hold;
  Plan plan = Plan::kRandom;  // visit: how its loans end
  Date return_on;             // with Plan::kReturnOn
};

class DemoCity {
 public:
  DemoCity(Store& store, const TimeZone& tz, TestClock& clock, Instant now)
      : store_(store), tz_(tz), clock_(clock), env_{clock, tz}, now_(now), today_(tz.LocalDay(now)) {}

  void Build(int patrons);
  void Simulate();
  void PrintSummary(double seconds);

 private:
  Instant At(Date d, int h, int m, int s = 0) const { return tz_.StartOfDay(d) + hours(h) + minutes(m) + seconds(s); }
  bool IsOpen(int branch, Date d) const {
    if (holidays_.contains(d)) return false;
    return !(branches_[branch].closed_mondays && std::chrono::weekday(d).c_encoding() == 1);
  }
  // Runs one use case in a savepoint: a use case that throws (a bug) leaves nothing half-written.
  template <class F>
  void Guarded(SqlTx& tx, F&& f) {
    tx.Exec("SAVEPOINT demo_op");
    try {
      f();
      tx.Exec("RELEASE demo_op");
    } catch (const std::exception& e) {
      tx.Exec("ROLLBACK TO demo_op");
      tx.Exec("RELEASE demo_op");
      if (exceptions_.size() < 5) exceptions_.push_back(e.what());
      ++exception_count_;
    }
  }
  void Refused(const DomainError& e) { ++refusals_[e.code]; }

  void BuildBranches(SqlTx& tx);
  void MoveItem(int item, int branch);
  int PickCard();
  int BranchIndex(const std::string& code) const { return branch_index_.at(code); }
  int CardIndex(const std::string& number) const {
    auto it = card_index_.find(number);
    return it == card_index_.end() ? -1 : it->second;
  }
  void PlanLoan(int item, const LoanView& loan, int card, Plan plan, Date return_on);
  void SimulateDay(SqlTx& tx, int offset);
  void Morning(SqlTx& tx, Date day, Instant limit);
  void Run(SqlTx& tx, const Op& op, Instant next_at);
  bool Borrow(SqlTx& tx, int card, int item, int branch, Channel channel, Plan plan, Date return_on);
  void Script();

  Store& store_;
  const TimeZone& tz_;
  TestClock& clock_;
  Env env_;
  const Instant now_;
  const Date today_;
  const Actor actor_ = Actor::System("demo");
  Rng rng_{20261129};

  std::vector<BranchState> branches_;
  std::vector<double> branch_weights_;
  std::vector<BibState> bibs_;
  std::vector<ItemState> items_;
  std::vector<CardState> cards_;
  std::vector<double> card_cumulative_;  // activity, for PickCard
  std::unordered_map<std::string, int> branch_index_;
  std::unordered_map<std::string, int> card_index_;
  std::unordered_map<std::string, int> item_index_;
  std::set<std::string> showcase_cards_;
  std::set<Date> holidays_;
  std::map<int, std::vector<Op>> script_;  // day offset -> scripted ops
  int popular_bib_ = -1, ready_bib_ = -1, transit_bib_ = -1;

  std::map<ErrorCode, int> refusals_;
  std::vector<std::string> exceptions_;
  int exception_count_ = 0;
  int checkouts_ = 0, checkins_ = 0, renewals_ = 0, holds_placed_ = 0, pulled_ = 0, arrived_ = 0;
};

void DemoCity::BuildBranches(SqlTx& tx) {
  for (const auto& seed : demo::Branches()) {
    BranchState b;
    b.code = BranchCode(std::string(seed.code));
    b.mobile = seed.mobile;
    b.closed_mondays = seed.closed_mondays;
    b.big = seed.weight >= 3;
    auto created = CreateBranch(tx, env_, actor_, {std::string(seed.code), std::string(seed.name), seed.mobile});
    if (!created) throw std::runtime_error(fmt::format("branch {}: {}", seed.code, ToString(created.error().code)));
    if (seed.closed_mondays) {
      BranchPatch patch;
      patch.closed_weekdays = std::set<unsigned>{1};
      if (auto ok = UpdateBranch(tx, env_, actor_, b.code, patch); !ok) Refused(ok.error());
    }
    branch_index_[b.code.value()] = static_cast<int>(branches_.size());
    branches_.push_back(std::move(b));
    branch_weights_.push_back(seed.weight);
  }
  // National holidays the library closes for, from the start of the history to two months ahead.
  struct Holiday {
    unsigned month, day;
    const char* name;
  };
  constexpr Holiday kHolidays[] = {{1, 1, "開國紀念日"}, {2, 28, "和平紀念日"}, {4, 4, "兒童節"},
                                   {10, 10, "國慶日"},   {10, 25, "臺灣光復節"}, {12, 25, "行憲紀念日"}};
  auto year = std::chrono::year_month_day(today_).year();
  for (auto y : {year - std::chrono::years(1), year, year + std::chrono::years(1)})
    for (const auto& h : kHolidays) {
      Date d{y / std::chrono::month(h.month) / std::chrono::day(h.day)};
      if (d < today_ - Days(kDays) || d > today_ + Days(62)) continue;
      holidays_.insert(d);
      for (const auto& b : branches_)
        if (auto ok = SetHoliday(tx, env_, actor_, b.code, d, h.name, true); !ok) Refused(ok.error());
    }
}

void DemoCity::Build(int patrons) {
  const Date setup_day = today_ - Days(kDays + 1);
  Instant t = At(setup_day, 8, 0);
  auto tick = [&] {
    t += seconds(1);
    clock_.Set(t);
  };
  clock_.Set(t);
  const auto staff_hash = crypto::HashPassword(kPassword);
  const auto pin_hash = crypto::HashPassword(kPin);

  store_.Write([&](SqlTx& tx) {
    BuildBranches(tx);
    struct Staff {
      const char* username;
      Role role;
      const char* branch;
    };
    constexpr Staff kStaff[] = {{"admin", Role::kSysadmin, nullptr},       {"auditor", Role::kAuditor, nullptr},
                                {"main-admin", Role::kBranchAdmin, "MAIN"}, {"main-counter", Role::kCounter, "MAIN"},
                                {"xitun-counter", Role::kCounter, "XITUN"}, {"beitun-counter", Role::kCounter, "BEITUN"}};
    for (const auto& s : kStaff) {
      tick();
      auto branch = s.branch ? std::optional<BranchCode>(BranchCode(s.branch)) : std::nullopt;
      auto made = CreateStaff(tx, env_, actor_, {s.username, staff_hash, s.role, branch});
      if (!made) throw std::runtime_error(fmt::format("staff {}: {}", s.username, ToString(made.error().code)));
    }
    return TxOutcome::kCommit;
  });

  // Catalog: the three showcase titles first, then the generated ones.
  Rng catalog_rng(1990);
  auto showcase = demo::MakeShowcaseBibs();
  std::vector<BibInput> records{showcase.popular, showcase.ready, showcase.transit};
  auto max_year = static_cast<int>(std::chrono::year_month_day(today_).year());
  // ~2,500 titles for the default 3,000 patrons; more patrons need more books on the shelves.
  const int chinese = std::max(2500, patrons * 5 / 6);
  auto generated = demo::GenerateCatalog(catalog_rng, chinese, chinese * 2 / 25, max_year);
  records.insert(records.end(), std::make_move_iterator(generated.begin()), std::make_move_iterator(generated.end()));
  for (std::size_t start = 0; start < records.size(); start += kJobSize) {
    store_.Write([&](SqlTx& tx) {
      for (std::size_t r = start; r < std::min(records.size(), start + kJobSize); ++r) {
        tick();
        const auto& in = records[r];
        auto id = CreateBib(tx, env_, actor_, in);
        if (!id) throw std::runtime_error(fmt::format("bib '{}': {}", in.title, ToString(id.error().code)));
        BibState bib{*id, {}, r < 3};
        for (const auto& it : in.items) {
          ItemState item;
          item.barcode = ItemBarcode(it.barcode);
          item.bib = static_cast<int>(bibs_.size());
          item.loanable = it.loanable;
          item.attachment = it.item_type == "attachment";
          item.scripted = bib.scripted;
          item.branch = BranchIndex(it.branch);
          int index = static_cast<int>(items_.size());
          item_index_[it.barcode] = index;
          bib.items.push_back(index);
          items_.push_back(std::move(item));
          MoveItem(index, items_[index].branch);
        }
        bibs_.push_back(std::move(bib));
      }
      return TxOutcome::kCommit;
    });
  }
  popular_bib_ = 0;
  ready_bib_ = 1;
  transit_bib_ = 2;

  // Patrons: three showcase cards, then generated ones; the first two generated are the script's helpers.
  Rng patron_rng(2021);
  auto people = demo::GeneratePatrons(patron_rng, std::max(0, patrons - 3));
  std::vector<demo::DemoPatron> all;
  auto showcase_patron = [&](const char* card, const char* name, const char* email, CardType type) {
    demo::DemoPatron p;
    p.input = {name, std::string(email), card, type, ""};
    p.home_branch = 0;
    showcase_cards_.insert(card);
    all.push_back(std::move(p));
  };
  showcase_patron(kShowcaseCard, "林小書", "xiaoshu.lin@example.org", CardType::kPersonal);
  showcase_patron(kFamilyCard, "林家", "lin.family@example.org", CardType::kFamily);
  showcase_patron(kSuspendedCard, "陳怡君", "yichun.chen@example.org", CardType::kPersonal);
  all.insert(all.end(), std::make_move_iterator(people.begin()), std::make_move_iterator(people.end()));
  for (std::size_t start = 0; start < all.size(); start += kJobSize) {
    store_.Write([&](SqlTx& tx) {
      for (std::size_t i = start; i < std::min(all.size(), start + kJobSize); ++i) {
        tick();
        auto in = all[i].input;
        in.pin_hash = pin_hash;
        auto made = CreatePatron(tx, env_, actor_, in);
        if (!made) throw std::runtime_error(fmt::format("patron {}: {}", in.card, ToString(made.error().code)));
        CardState c{made->card, in.type, static_cast<int>(all[i].home_branch), all[i].activity, i < 5};
        // Groups come seldom but borrow by the boxful.
        if (c.type == CardType::kGroup) c.activity *= 0.3;
        card_index_[in.card] = static_cast<int>(cards_.size());
        cards_.push_back(std::move(c));
      }
      return TxOutcome::kCommit;
    });
  }
  double total = 0;
  for (const auto& c : cards_) card_cumulative_.push_back(total += c.scripted ? 0.0 : c.activity);
  Script();
}

void DemoCity::MoveItem(int item, int branch) {
  auto& it = items_[item];
  if (it.shelf_pos >= 0) {
    auto& old = branches_[it.branch].shelf;
    int last = old.back();
    old[it.shelf_pos] = last;
    items_[last].shelf_pos = it.shelf_pos;
    old.pop_back();
  }
  it.branch = branch;
  it.shelf_pos = static_cast<int>(branches_[branch].shelf.size());
  branches_[branch].shelf.push_back(item);
}

int DemoCity::PickCard() {
  double x = rng_.Real() * card_cumulative_.back();
  auto it = std::upper_bound(card_cumulative_.begin(), card_cumulative_.end(), x);
  return static_cast<int>(std::min<std::ptrdiff_t>(it - card_cumulative_.begin(), cards_.size() - 1));
}

// The showcase: 林小書 with loans (one overdue), a ready, an in-transit and a waiting hold; the family
// card 林家 with a little history; 陳怡君 suspended by a late return of two books.
void DemoCity::Script() {
  const int t1 = 0, t2 = 1, t3 = 2, helper1 = 3, helper2 = 4;
  const int main = BranchIndex("MAIN"), xitun = BranchIndex("XITUN");
  auto at = [&](int offset, int h, int m) { return At(today_ + Days(offset), h, m); };
  auto visit = [&](int offset, int card, int count, Plan plan, int return_offset = 0) {
    Op op{at(offset, 15, card * 7), Op::Kind::kVisit, card};
    op.branch = main;
    op.count = count;
    op.plan = plan;
    op.return_on = today_ + Days(return_offset);
    script_[offset].push_back(op);
  };
  auto hold = [&](int offset, int card, int bib) {
    Op op{at(offset, 11, 30), Op::Kind::kPlaceHold, card};
    op.bib = bib;
    op.branch = main;
    script_[offset].push_back(op);
  };
  auto borrow_copy = [&](int offset, int card, int bib, int branch, int return_offset) {
    Op op{at(offset, 10, 15), Op::Kind::kVisit, card};
    op.item = bibs_[bib].items.front();
    op.branch = branch;
    op.count = 1;
    op.plan = Plan::kReturnOn;
    op.return_on = today_ + Days(return_offset);
    script_[offset].push_back(op);
  };
  for (int offset : {-88, -78, -68, -58, -49, -40}) visit(offset, t1, 5, Plan::kPromptly);
  visit(-33, t1, 1, Plan::kKeep);  // due five days ago: overdue (red), blocks further checkouts
  visit(-26, t1, 2, Plan::kKeep);  // due in two days
  visit(-20, t1, 2, Plan::kKeep);
  visit(-12, t1, 2, Plan::kKeep);
  script_[-6].push_back(Op{at(-6, 21, 10), Op::Kind::kRenewLatest, t1});
  hold(-30, t1, popular_bib_);
  borrow_copy(-16, helper1, ready_bib_, main, -2);     // back at MAIN two days ago: on the hold shelf
  hold(-15, t1, ready_bib_);
  borrow_copy(-14, helper2, transit_bib_, xitun, -1);  // back at XITUN yesterday: on its way to MAIN
  hold(-13, t1, transit_bib_);

  visit(-70, t2, 5, Plan::kPromptly);
  visit(-45, t2, 6, Plan::kPromptly);
  visit(-18, t2, 5, Plan::kKeep);

  visit(-75, t3, 3, Plan::kPromptly);
  visit(-45, t3, 2, Plan::kReturnOn, -5);  // twelve days late each: 24 days of suspension from then
}

void DemoCity::PlanLoan(int item, const LoanView& loan, int card, Plan plan, Date return_on) {
  OpenLoan l;
  l.id = loan.id;
  l.card = card;
  l.out_on = env_.Today();
  l.due = loan.due_on;
  l.return_branch = items_[item].branch;
  const int length = static_cast<int>((l.due - l.out_on).count());
  switch (plan) {
    case Plan::kPromptly:
      l.return_on = l.out_on + Days(std::min(length, rng_.Uniform(7, 14)));
      break;
    case Plan::kKeep:
      l.return_on = Date::max();
      break;
    case Plan::kReturnOn:
      l.return_on = return_on;
      l.fixed = true;
      break;
    case Plan::kRandom: {
      double r = rng_.Real();
      if (r < 0.70) {
        l.return_on = l.out_on + Days(std::max(1, static_cast<int>(length * (0.25 + 0.75 * rng_.Real()))));
      } else if (r < 0.85) {
        l.renew_on = std::max(l.out_on + Days(1), l.due - Days(rng_.Uniform(1, 5)));
        l.return_on = l.due;
      } else if (r < 0.96) {
        l.return_on = l.due + Days(1 + std::min(30, static_cast<int>(-5.0 * std::log(1.0 - rng_.Real()))));
      } else {
        l.return_on = l.due + Days(rng_.Uniform(15, 70));
      }
      // Some bring books back to another branch (a floating collection).
      if (rng_.Chance(0.15)) l.return_branch = rng_.Chance(0.6) ? cards_[card].home
                                                                : static_cast<int>(rng_.Weighted(branch_weights_));
      break;
    }
  }
  items_[item].loan = l;
}

bool DemoCity::Borrow(SqlTx& tx, int card, int item, int branch, Channel channel, Plan plan, Date return_on) {
  bool go_on = true;
  Guarded(tx, [&] {
    auto result = CheckOut(tx, env_, actor_, {cards_[card].number, items_[item].barcode, branches_[branch].code, channel});
    if (!result) {
      Refused(result.error());
      // Card-level refusals end the visit; item-level ones let the patron pick another book.
      auto code = result.error().code;
      go_on = !(code == ErrorCode::kBorrowSuspended || code == ErrorCode::kOverdueItems ||
                code == ErrorCode::kLoanLimitReached || code == ErrorCode::kCardNotActive);
      return;
    }
    ++checkouts_;
    PlanLoan(item, result->loan, card, plan, return_on);
  });
  return go_on;
}

void DemoCity::Run(SqlTx& tx, const Op& op, Instant next_at) {
  clock_.Set(op.at);
  switch (op.kind) {
    case Op::Kind::kVisit: {
      const auto& b = branches_[op.branch];
      const bool earns = cards_[op.card].type != CardType::kGroup;
      const auto step = std::clamp((next_at - op.at) / (op.count + 1), Instant::duration(1000), Instant::duration(30000));
      int borrowed = 0;
      std::set<int> bibs;
      auto borrow = [&](int item) {
        clock_.Set(op.at + step * borrowed);
        Channel channel = Channel::kCounter;
        if (earns && b.mobile && rng_.Chance(0.3)) channel = Channel::kMobile;
        else if (b.big && rng_.Chance(0.15)) channel = Channel::kKiosk;
        int before = checkouts_;
        bool go_on = Borrow(tx, op.card, item, op.branch, channel, op.plan, op.return_on);
        if (checkouts_ == before) return go_on;
        ++borrowed;
        bibs.insert(items_[item].bib);
        // The CD that comes with a book goes out with it.
        for (int other : bibs_[items_[item].bib].items)
          if (items_[other].attachment && !items_[other].loan && items_[other].branch == op.branch) {
            clock_.Set(op.at + step * borrowed);
            Borrow(tx, op.card, other, op.branch, Channel::kCounter, Plan::kReturnOn, items_[item].loan->return_on);
            if (items_[other].loan) items_[other].loan->fixed = items_[item].loan->fixed;
            break;
          }
        return true;
      };
      if (op.item >= 0) {
        borrow(op.item);
        break;
      }
      for (int tries = 0; borrowed < op.count && tries < op.count * 12 && !b.shelf.empty(); ++tries) {
        int item = rng_.Pick(b.shelf);
        const auto& it = items_[item];
        if (it.loan || !it.loanable || it.attachment || it.scripted || bibs.contains(it.bib)) continue;
        if (!borrow(item)) break;
      }
      break;
    }
    case Op::Kind::kPickup:
      Borrow(tx, op.card, op.item, op.branch, Channel::kCounter, Plan::kRandom, {});
      break;
    case Op::Kind::kReturn:
      Guarded(tx, [&] {
        auto result = CheckIn(tx, env_, actor_, items_[op.item].barcode, branches_[op.branch].code);
        if (!result) return Refused(result.error());
        ++checkins_;
        items_[op.item].loan.reset();
        if (items_[op.item].branch != op.branch) MoveItem(op.item, op.branch);
      });
      break;
    case Op::Kind::kRenew:
    case Op::Kind::kRenewLatest: {
      std::vector<int> candidates;
      if (op.kind == Op::Kind::kRenew) {
        candidates.push_back(op.item);
      } else {
        // Only a recent loan: an older one may be the one the script keeps overdue.
        for (int i = 0; i < static_cast<int>(items_.size()); ++i)
          if (items_[i].loan && items_[i].loan->card == op.card && items_[i].loan->out_on >= env_.Today() - Days(14))
            candidates.push_back(i);
        std::ranges::sort(candidates, [&](int a, int b) { return items_[a].loan->id > items_[b].loan->id; });
      }
      for (int item : candidates) {
        auto& loan = *items_[item].loan;
        bool renewed = false;
        Guarded(tx, [&] {
          auto result = RenewLoan(tx, env_, actor_, cards_[loan.card].number, loan.id);
          if (!result) return Refused(result.error());
          ++renewals_;
          renewed = true;
          loan.due = result->due_on;
        });
        if (op.kind == Op::Kind::kRenewLatest) {
          if (renewed) break;
          continue;
        }
        // Renewed: most bring it back in time; refused: half keep it a little longer anyway.
        Date today = env_.Today();
        int left = static_cast<int>((loan.due - today).count());
        if (renewed && rng_.Chance(0.85)) loan.return_on = today + Days(std::max(1, rng_.Uniform(left / 3, left)));
        else if (renewed || rng_.Chance(0.5)) loan.return_on = loan.due + Days(rng_.Uniform(1, 10));
        else loan.return_on = std::max(today + Days(1), loan.due);
      }
      break;
    }
    case Op::Kind::kPlaceHold:
      Guarded(tx, [&] {
        auto result = PlaceHold(tx, env_, actor_, cards_[op.card].number, bibs_[op.bib].id, branches_[op.branch].code);
        if (!result) return Refused(result.error());
        ++holds_placed_;
      });
      break;
    case Op::Kind::kCancelHold:
      Guarded(tx, [&] {
        if (auto ok = CancelHold(tx, env_, actor_, cards_[op.card].number, op.hold); !ok) Refused(ok.error());
      });
      break;
  }
}

// Staff at opening time: copies in transit reach their pickup branch; pull lists are worked.
void DemoCity::Morning(SqlTx& tx, Date day, Instant limit) {
  Instant t = At(day, 9, 0);
  auto tick = [&] {
    t += seconds(7);
    clock_.Set(t);
    return t < limit;
  };
  auto transit = tx.Query(
      "SELECT h.card, i.barcode, h.pickup_branch FROM holds h JOIN items i ON i.id = h.item_id "
      "WHERE h.status = 'in_transit' ORDER BY h.id");
  for (const auto& row : transit) {
    if (showcase_cards_.contains(row.Text(0))) continue;
    int item = item_index_.at(row.Text(1));
    int branch = BranchIndex(row.Text(2));
    if (!IsOpen(branch, day) || !rng_.Chance(0.6) || !tick()) continue;
    Guarded(tx, [&] {
      auto result = CheckIn(tx, env_, actor_, items_[item].barcode, branches_[branch].code);
      if (!result) return Refused(result.error());
      ++arrived_;
      MoveItem(item, branch);
    });
  }
  const Instant start_of_day = tz_.StartOfDay(day);
  for (int b = 0; b < static_cast<int>(branches_.size()); ++b) {
    if (!IsOpen(b, day) || !rng_.Chance(0.8)) continue;
    for (const auto& entry : PullList(tx, env_, branches_[b].code)) {
      // Holds placed today wait for tomorrow's list.
      if (entry.hold.placed_at >= start_of_day || !tick()) continue;
      Guarded(tx, [&] {
        auto result = CheckIn(tx, env_, actor_, entry.item_barcode, branches_[b].code);
        if (!result) return Refused(result.error());
        ++pulled_;
      });
    }
  }
}

void DemoCity::SimulateDay(SqlTx& tx, int offset) {
  const Date day = today_ + Days(offset);
  const Instant limit = offset == 0 ? now_ - minutes(1) : At(day, 23, 59);
  const bool library_open = !holidays_.contains(day);

  // The sweeper: ready holds not collected by yesterday are no-shows.
  clock_.Set(std::min(At(day, 0, 0, 30), limit));
  Guarded(tx, [&] { ExpireReadyHolds(tx, env_); });
  if (library_open) Morning(tx, day, limit);

  std::vector<Op> ops;
  auto add = [&](Op::Kind kind, int card) -> Op& {
    ops.push_back(Op{Instant{}, kind, card});
    return ops.back();
  };
  for (int i = 0; i < static_cast<int>(items_.size()); ++i) {
    auto& loan = items_[i].loan;
    if (!loan) continue;
    if (loan->renew_on == day) {
      add(Op::Kind::kRenew, loan->card).item = i;  // in the app, any day
      continue;                                     // the renewal decides when it comes back
    }
    if (loan->return_on > day) continue;
    if (!loan->fixed && !IsOpen(loan->return_branch, day)) {
      loan->return_on = day + Days(1);
      continue;
    }
    auto& op = add(Op::Kind::kReturn, loan->card);
    op.item = i;
    op.branch = loan->return_branch;
  }
  if (library_open) {
    auto ready = tx.Query(
        "SELECT h.id, h.card, i.barcode, h.pickup_branch FROM holds h JOIN items i ON i.id = h.item_id "
        "WHERE h.status = 'ready' AND h.pickup_by >= ? ORDER BY h.id",
        {FormatDate(day)});
    for (const auto& row : ready) {
      if (showcase_cards_.contains(row.Text(1))) continue;
      // About one in nine never comes: the hold expires and counts as a no-show.
      if (row.Int(0) % 9 == 4 || !rng_.Chance(0.4)) continue;
      int branch = BranchIndex(row.Text(3));
      if (!IsOpen(branch, day)) continue;
      auto& op = add(Op::Kind::kPickup, CardIndex(row.Text(1)));
      op.item = item_index_.at(row.Text(2));
      op.branch = branch;
    }
    const bool weekend = std::chrono::weekday(day).c_encoding() % 6 == 0;
    const int visits = static_cast<int>(static_cast<double>(cards_.size()) / 140.0 * (weekend ? 1.4 : 1.0) *
                                        (0.85 + 0.3 * rng_.Real()));
    for (int v = 0; v < visits; ++v) {
      int card = PickCard();
      const auto& c = cards_[card];
      int branch = rng_.Chance(0.85) ? c.home : static_cast<int>(rng_.Weighted(branch_weights_));
      if (!IsOpen(branch, day)) continue;
      auto& op = add(Op::Kind::kVisit, card);
      op.branch = branch;
      static constexpr double kPersonalCounts[] = {30, 30, 20, 10, 6, 2, 1, 1};
      op.count = c.type == CardType::kGroup    ? rng_.Uniform(8, 25)
                 : c.type == CardType::kFamily ? rng_.Uniform(2, 8)
                                               : static_cast<int>(rng_.Weighted(kPersonalCounts)) + 1;
    }
  }
  // Holds are placed in the app any day: mostly on titles that are all out, some on the bestseller.
  const int holds = static_cast<int>(static_cast<double>(cards_.size()) / 300.0 * (0.7 + 0.6 * rng_.Real()));
  for (int h = 0; h < holds; ++h) {
    int card = PickCard();
    int bib = -1;
    if (rng_.Chance(0.85)) {
      for (int tries = 0; tries < 20 && bib < 0; ++tries) {
        const auto& it = items_[rng_.Uniform(0, static_cast<int>(items_.size()) - 1)];
        if (it.loan && !it.scripted && it.loan->card != card) bib = it.bib;
      }
    } else {
      bib = rng_.Uniform(3, static_cast<int>(bibs_.size()) - 1);
    }
    if (bib < 0) continue;
    auto& op = add(Op::Kind::kPlaceHold, card);
    op.bib = bib;
    op.branch = cards_[card].home;
  }
  if (rng_.Chance(0.3)) {
    int card = PickCard();
    auto& op = add(Op::Kind::kPlaceHold, card);
    op.bib = popular_bib_;
    op.branch = cards_[card].home;
  }
  for (const auto& row : tx.Query("SELECT id, card FROM holds WHERE status = 'waiting' ORDER BY id")) {
    if (showcase_cards_.contains(row.Text(1)) || !rng_.Chance(0.006)) continue;
    add(Op::Kind::kCancelHold, CardIndex(row.Text(1))).hold = HoldId(row.Int(0));
  }

  // Random ops spread over opening hours (today: only up to now), the script at its own times.
  rng_.Shuffle(ops);
  const Instant open = At(day, 9, 45), closing = At(day, 20, 30), close = std::min(closing, limit);
  // Today is only as busy as the hours gone by.
  ops.resize(close - open < minutes(30) ? 0
                                        : static_cast<std::size_t>(static_cast<double>(ops.size()) *
                                                                   std::chrono::duration<double>(close - open) /
                                                                   std::chrono::duration<double>(closing - open)));
  const auto n = static_cast<double>(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    auto slot = (static_cast<double>(i) + rng_.Real()) / n;
    ops[i].at = open + std::chrono::duration_cast<Instant::duration>((close - open) * slot);
  }
  if (auto it = script_.find(offset); it != script_.end())
    for (const auto& op : it->second)
      if (op.at < limit) ops.push_back(op);
  std::ranges::stable_sort(ops, {}, &Op::at);
  for (std::size_t i = 0; i < ops.size(); ++i) Run(tx, ops[i], i + 1 < ops.size() ? ops[i + 1].at : limit);
}

void DemoCity::Simulate() {
  for (int offset = -kDays; offset <= 0; ++offset) {
    store_.Write([&](SqlTx& tx) {
      SimulateDay(tx, offset);
      return TxOutcome::kCommit;
    });
  }
  // The story ends now: the server takes over with the real clock.
  clock_.Set(now_);
  store_.Write([&](SqlTx& tx) {
    Guarded(tx, [&] { ExpireReadyHolds(tx, env_); });
    return TxOutcome::kCommit;
  });
}

void DemoCity::PrintSummary(double elapsed) {
  store_.Read([&](SqlTx& tx) {
    auto count = [&](std::string_view sql, std::initializer_list<SqlValue> params = {}) {
      return tx.QueryOne(sql, params)->Int(0);
    };
    const auto today = FormatDate(today_);
    fmt::print("Demo city built in {:.1f} s: 臺中市立圖書館, history from {} to {}.\n", elapsed,
               FormatDate(today_ - Days(kDays)), today);
    fmt::print("  branches  {} ({} with phone checkout)\n", count("SELECT COUNT(*) FROM branches"),
               count("SELECT COUNT(*) FROM branches WHERE mobile_checkout = 1"));
    fmt::print("  catalog   {} bibs, {} items ({} attachments, {} not loanable)\n", count("SELECT COUNT(*) FROM bibs"),
               count("SELECT COUNT(*) FROM items"), count("SELECT COUNT(*) FROM items WHERE item_type = 'attachment'"),
               count("SELECT COUNT(*) FROM items WHERE loanable = 0"));
    fmt::print("  patrons   {} ({} personal, {} family, {} group cards); {} staff\n",
               count("SELECT COUNT(*) FROM patrons"), count("SELECT COUNT(*) FROM cards WHERE type = 'personal'"),
               count("SELECT COUNT(*) FROM cards WHERE type = 'family'"),
               count("SELECT COUNT(*) FROM cards WHERE type = 'group'"), count("SELECT COUNT(*) FROM staff"));
    fmt::print("  loans     {} open ({} overdue, {} due within 3 days), {} returned ({} late); {} renewals\n",
               count("SELECT COUNT(*) FROM loans WHERE returned_at IS NULL"),
               count("SELECT COUNT(*) FROM loans WHERE returned_at IS NULL AND due_on < ?", {today}),
               count("SELECT COUNT(*) FROM loans WHERE returned_at IS NULL AND due_on >= ? AND due_on <= ?",
                     {today, FormatDate(today_ + Days(3))}),
               count("SELECT COUNT(*) FROM loans WHERE returned_at IS NOT NULL"),
               count("SELECT COUNT(*) FROM loans WHERE overdue_days > 0"), renewals_);
    std::string holds;
    for (const auto& r : tx.Query("SELECT status, COUNT(*) FROM holds GROUP BY status ORDER BY status"))
      holds += fmt::format("{}{} {}", holds.empty() ? "" : ", ", r.Int(1), r.Text(0));
    fmt::print("  holds     {}\n", holds);
    fmt::print("  cards     {} suspended from borrowing (停權), {} from reserving\n",
               count("SELECT COUNT(*) FROM cards WHERE borrow_resumes_on > ?", {today}),
               count("SELECT COUNT(*) FROM cards WHERE reserve_resumes_on > ?", {today}));
    fmt::print("  points    {} issued for loans to {} cards ({} ledger entries); {} audit entries\n",
               count("SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE kind = 'loan'"),
               count("SELECT COUNT(DISTINCT card) FROM ledger"), count("SELECT COUNT(*) FROM ledger"),
               count("SELECT COUNT(*) FROM audit_log"));
    fmt::print("  林小書 {}: {} loans ({} overdue), holds: {}; {} points\n", kShowcaseCard,
               count("SELECT COUNT(*) FROM loans WHERE card = ? AND returned_at IS NULL", {kShowcaseCard}),
               count("SELECT COUNT(*) FROM loans WHERE card = ? AND returned_at IS NULL AND due_on < ?",
                     {kShowcaseCard, today}),
               [&] {
                 std::string s;
                 for (const auto& r : tx.Query("SELECT status FROM holds WHERE card = ? AND status IN "
                                               "('waiting','in_transit','ready') ORDER BY id",
                                               {kShowcaseCard}))
                   s += (s.empty() ? "" : ", ") + r.Text(0);
                 return s;
               }(),
               count("SELECT COALESCE(MAX(balance), 0) FROM point_balances WHERE card = ?", {kShowcaseCard}));
    auto suspended = tx.QueryOne("SELECT borrow_resumes_on FROM cards WHERE number = ?", {kSuspendedCard});
    fmt::print("  陳怡君 {}: borrowing resumes on {}\n", kSuspendedCard,
               suspended && !suspended->IsNull(0) ? suspended->Text(0) : "(not suspended)");
  });
  fmt::print("  simulated {} checkouts, {} check-ins, {} holds placed; staff pulled {} copies for holds, {} arrived "
             "from transit\n",
             checkouts_, checkins_, holds_placed_, pulled_, arrived_);
  std::string refused;
  for (const auto& [code, n] : refusals_) refused += fmt::format("{}{} {}", refused.empty() ? "" : ", ", n, ToString(code));
  fmt::print("  refused along the way, as a library would: {}\n", refused.empty() ? "nothing" : refused);
  if (exception_count_ > 0) {
    fmt::print(stderr, "demo: {} use-case calls threw (rolled back); first: {}\n", exception_count_,
               exceptions_.front());
  }
}


// Home content, prizes and events for the showcase, through the use cases at the real "now":
// 3 announcements, a featured list of 8 bibs, 6 quick links, 3 prizes at each of 10 branches,
// and 4 events (a talk today whose attendance claim window is open an hour from now, a paid
// workshop next week, ...). Throws on a refusal: the demo must show all of it.
void SeedShowcaseContent(Store& store, const TimeZone& tz, Instant now) {
  struct Fixed final : Clock {
    Instant t;
    Instant Now() const override { return t; }
  } clock;
  clock.t = now;
  Env env{clock, tz};
  const Actor actor = Actor::System("demo");
  auto must = [](auto result, const std::string& what) {
    if (!result) throw std::runtime_error(fmt::format("demo {}: {}", what, ToString(result.error().code)));
    return *std::move(result);
  };
  const Date today = tz.LocalDay(now);
  auto at = [&](Date d, int h, int m) { return tz.StartOfDay(d) + hours(h) + minutes(m); };
  store.Write([&](SqlTx& tx) {
    // ---- announcements (zh-TW)
    struct Ann {
      const char* title;
      const char* body;
      const char* link;
      int from_days, to_days;
    };
    constexpr Ann kAnnouncements[] = {
        {"閱讀存摺上線囉！", "借書、參加活動都能累積點數，到各分館兌換好禮。打開「閱讀存摺」看看你的點數吧！",
         "https://example.org/passbook", -7, 60},
        {"寒假親子共讀月", "寒假期間於各分館舉辦說故事、手作與親子共讀活動，歡迎大小朋友一起來。",
         "https://example.org/events/winter", -3, 45},
        {"系統維護公告", "本館線上服務將於週日凌晨 2:00–4:00 進行系統維護，期間暫停線上續借與預約。", nullptr, -1,
         14},
    };
    std::int64_t pos = 0;
    for (const auto& a : kAnnouncements) {
      AnnouncementInput in;
      in.title = a.title;
      in.body = a.body;
      if (a.link) in.link = std::string(a.link);
      in.starts_at = at(today + Days(a.from_days), 0, 0);
      in.ends_at = at(today + Days(a.to_days), 0, 0);
      in.position = pos++;
      must(CreateAnnouncement(tx, env, actor, in), "announcement");
    }
    // ---- a featured list: the 8 bibs with the most copies
    FeaturedListInput list;
    list.title = "館員推薦・本月精選";
    for (const auto& r : tx.Query("SELECT bib_id FROM items GROUP BY bib_id ORDER BY COUNT(*) DESC, bib_id LIMIT 8"))
      list.bibs.push_back(BibId(r.Int(0)));
    must(CreateFeaturedList(tx, env, actor, list), "featured list");
    // ---- quick links
    struct Link {
      const char* zh;
      const char* en;
      const char* url;
      const char* icon;
    };
    constexpr Link kLinks[] = {
        {"電子書", "E-books", "https://example.org/ebooks", "book"},
        {"活動報名", "Events", "https://example.org/events", "calendar"},
        {"常見問題", "FAQ", "https://example.org/faq", "help"},
        {"開放時間", "Opening hours", "https://example.org/hours", "clock"},
        {"借閱規則", "Borrowing rules", "https://example.org/rules", "rules"},
        {"聯絡我們", "Contact us", "https://example.org/contact", "mail"},
    };
    pos = 0;
    for (const auto& l : kLinks) must(CreateQuickLink(tx, env, actor, {l.zh, l.en, l.url, l.icon, pos++}), "link");
    // ---- prizes at the first 10 branches
    struct PrizeSeed {
      const char* name;
      const char* description;
      const char* sponsor;
      std::int64_t cost, stock, limit;
    };
    constexpr PrizeSeed kPrizes[] = {
        {"閱讀藏書票組", "六款館藏插畫藏書票。", "臺中市立圖書館", 10, 100, 0},
        {"環保帆布書袋", "可裝十本書的厚帆布袋。", "臺中市立圖書館", 30, 40, 1},
        {"咖啡兌換券", "合作咖啡館中杯美式一杯。", "好日子咖啡", 20, 25, 2},
    };
    int n = 0;
    for (const auto& b : demo::Branches()) {
      if (n++ == 10) break;
      for (const auto& p : kPrizes) {
        PrizeInput in;
        in.branch = BranchCode(std::string(b.code));
        in.name = p.name;
        in.description = p.description;
        in.sponsor = p.sponsor;
        in.cost = p.cost;
        in.stock = p.stock;
        in.per_card_limit = p.limit;
        must(CreatePrize(tx, env, actor, in), "prize");
      }
    }
    // ---- events
    const BranchCode main(std::string(demo::Branches()[0].code));
    const BranchCode second(std::string(demo::Branches()[1].code));
    EventInput talk;  // claim window (ends_at ± 30 min) holds now + 1 h
    talk.branch = main;
    talk.title = "作家講座：繪本裡的臺中";
    talk.description = "繪本作家分享創作歷程，結束前掃描現場 QR code 即可獲得活動點數。";
    talk.starts_at = now - hours(1);
    talk.ends_at = now + hours(1);
    talk.attendance_points = 5;
    must(CreateEvent(tx, env, actor, talk), "event");
    EventInput workshop;  // paid registration, next week
    workshop.branch = main;
    workshop.title = "親子手作工作坊：做一本自己的書";
    workshop.description = "報名需 10 點，名額 20 組，材料由圖書館提供。";
    workshop.starts_at = at(today + Days(7), 14, 0);
    workshop.ends_at = at(today + Days(7), 16, 0);
    workshop.attendance_points = 3;
    workshop.capacity = 20;
    workshop.registration_cost = 10;
    workshop.registration_deadline = at(today + Days(6), 17, 0);
    must(CreateEvent(tx, env, actor, workshop), "event");
    EventInput club;
    club.branch = second;
    club.title = "青少年讀書會";
    club.description = "本月共讀《小王子》，歡迎 12–18 歲讀者參加。";
    club.starts_at = at(today + Days(3), 19, 0);
    club.ends_at = at(today + Days(3), 20, 30);
    club.attendance_points = 3;
    club.capacity = 25;
    must(CreateEvent(tx, env, actor, club), "event");
    EventInput senior;
    senior.branch = second;
    senior.title = "樂齡數位學習：用手機借電子書";
    senior.description = "帶著手機來，館員一步步教你借閱電子書與使用閱讀存摺。";
    senior.starts_at = at(today + Days(10), 10, 0);
    senior.ends_at = at(today + Days(10), 12, 0);
    senior.attendance_points = 2;
    senior.capacity = 30;
    senior.registration_deadline = at(today + Days(9), 17, 0);
    must(CreateEvent(tx, env, actor, senior), "event");
    return TxOutcome::kCommit;
  });
}

}  // namespace

int RunDemo(const DemoOptions& options) {
  if (options.print_logins_only) {
    PrintLogins();
    return 0;
  }
  if (options.patrons < 10) {
    std::cerr << "demo: --patrons must be at least 10\n";
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  const fs::path root(options.data);
  const fs::path db = root / "bookstamp.db";
  fs::create_directories(root);
  EnsureSecretKey(root / "secret.key");

  TimeZone tz(Config{}.timezone);
  TestClock clock;
  const Instant now = RealClock().Now();
  clock.Set(tz.StartOfDay(tz.LocalDay(now) - Days(kDays + 1)) + hours(7));
  SqliteStore store(db.string(), SqliteStoreOptions{.read_connections = 1});
  std::int64_t existing = 0;
  store.Read([&](SqlTx& tx) { existing = tx.QueryOne("SELECT COUNT(*) FROM branches")->Int(0); });
  if (existing > 0) {
    store.Close();
    std::cerr << fmt::format("demo: {} already holds a library ({} branches); give --data a fresh directory\n",
                             db.string(), existing);
    return 1;
  }
  Env env{clock, tz};
  store.Write([&](SqlTx& tx) {
    SeedPolicyIfEmpty(tx, env, Config{}.policy_defaults);
    return TxOutcome::kCommit;
  });

  DemoCity city(store, tz, clock, now);
  city.Build(options.patrons);
  city.Simulate();
  SeedShowcaseContent(store, tz, now);
  city.PrintSummary(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  store.Close();
  std::cout << "\n";
  PrintLogins();
  return 0;
}

}  // namespace bookstamp
