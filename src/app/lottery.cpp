// Lottery steps and the re-computable draw.
#include "app/lottery.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/crypto.hpp"
#include "app/notices.hpp"
#include "app/repo.hpp"

namespace bookstamp {

std::string LotteryToken(std::int64_t lottery_id, const std::string& card) {
  return crypto::Sha256Hex(fmt::format("{}:{}", lottery_id, card)).substr(0, 16);
}

std::string LotterySeed(const std::string& secret, const std::string& public_value) {
  return crypto::Sha256(secret + public_value);
}

namespace {

// The stream of 64-bit words: block b = HMAC-SHA-256(seed, b as 8-byte big-endian), four words each.
class WordStream {
 public:
  explicit WordStream(const std::string& seed) : seed_(seed) {}
  std::uint64_t Next() {
    if (used_ == 4) {
      std::string msg(8, '\0');
      auto b = block_++;
      for (int i = 7; i >= 0; --i, b >>= 8) msg[i] = static_cast<char>(b & 0xFF);
      current_ = crypto::HmacSha256(seed_, msg);
      used_ = 0;
    }
    std::uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<unsigned char>(current_[used_ * 8 + i]);
    ++used_;
    return x;
  }

 private:
  std::string seed_;
  std::string current_;
  std::uint64_t block_ = 0;
  int used_ = 4;
};

}  // namespace

std::vector<std::string> LotteryShuffle(std::vector<std::string> entries, const std::string& seed) {
  WordStream words(seed);
  for (std::size_t i = entries.size() > 0 ? entries.size() - 1 : 0; i >= 1; --i) {
    std::uint64_t m = i + 1;
    std::uint64_t rem = (UINT64_MAX % m + 1) % m;  // 2^64 mod m
    std::uint64_t x = words.Next();
    // Reject the top sliver so every j is equally likely: x < 2^64 − (2^64 mod m).
    while (rem != 0 && x >= (0 - rem)) x = words.Next();
    std::swap(entries[i], entries[x % m]);
  }
  return entries;
}

std::string LotteryListText(std::vector<std::string> tokens) {
  std::sort(tokens.begin(), tokens.end());
  std::string out;
  for (const auto& t : tokens) out += t + "\n";
  return out;
}

std::vector<std::string> ParseLotteryList(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

namespace {

std::string TypesText(const std::vector<CardType>& types) {
  std::string s;
  for (auto t : types) s += (s.empty() ? "" : ",") + std::string(ToString(t));
  return s;
}

std::optional<LotteryView> Load(SqlTx& tx, std::int64_t id, bool staff_view) {
  auto r = tx.QueryOne(
      "SELECT id, title, period_from, period_to, min_loans, card_types, public_value_name, status, list_hash, "
      "secret, secret_hash, public_value, seed, (SELECT COUNT(*) FROM lottery_entries e WHERE e.lottery_id = "
      "lotteries.id) FROM lotteries WHERE id = ?",
      {id});
  if (!r) return std::nullopt;
  LotteryView v;
  v.id = r->Int(0);
  v.title = r->Text(1);
  v.period_from = *ParseDate(r->Text(2));
  v.period_to = *ParseDate(r->Text(3));
  v.min_loans = r->Int(4);
  std::string cur;
  for (char c : r->Text(5) + ",") {
    if (c == ',') {
      if (auto t = CardTypeFromString(cur)) v.card_types.push_back(*t);
      cur.clear();
    } else {
      cur += c;
    }
  }
  v.public_value_name = r->Text(6);
  v.status = r->Text(7);
  v.list_hash = r->OptText(8);
  if (v.status == "published") v.secret = r->OptText(9);
  v.secret_hash = r->OptText(10);
  v.public_value = r->OptText(11);
  if (v.status == "published") v.seed = r->OptText(12);
  v.entries = v.status == "defined" ? 0 : r->Int(13);
  for (const auto& p : tx.Query("SELECT name, quantity FROM lottery_prizes WHERE lottery_id = ? ORDER BY position", {id}))
    v.prizes.push_back({p.Text(0), p.Int(1)});
  if (v.status == "published" || (staff_view && v.status == "drawn"))
    for (const auto& x : tx.Query(
             "SELECT rank, token, prize_position, status, reason FROM lottery_results WHERE lottery_id = ? ORDER BY rank",
             {id}))
      v.results.push_back({x.Int(0), x.Text(1), x.OptInt(2), x.Text(3), x.OptText(4)});
  return v;
}

Result<LotteryView> LoadOr404(SqlTx& tx, std::int64_t id, bool staff_view) {
  auto v = Load(tx, id, staff_view);
  if (!v) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "lottery"}}));
  return *v;
}

// A step that needs the lottery in `status`; 409 VALIDATION-like refusals use the closest codes.
Result<LotteryView> InStatus(SqlTx& tx, std::int64_t id, const std::string& status) {
  auto v = LoadOr404(tx, id, true);
  if (!v) return v;
  if (v->status != status)
    return Fail(DomainError::Invalid("status", fmt::format("the lottery is {}, this step needs {}", v->status, status)));
  return v;
}

std::vector<std::string> Shuffled(SqlTx& tx, std::int64_t id) {
  auto row = tx.QueryOne("SELECT list, seed FROM lotteries WHERE id = ?", {id});
  return LotteryShuffle(ParseLotteryList(row->Text(0)), *crypto::FromHex(row->Text(1)));
}

}  // namespace

Result<LotteryView> CreateLottery(SqlTx& tx, const Env& env, const Actor& actor, const LotteryInput& in) {
  if (auto ok = Authorize(actor, Permission::kManageEvents); !ok) return Fail(ok.error());
  if (actor.IsStaff() && actor.branch) return Fail(ErrorCode::kForbidden);  // a city-wide draw
  if (in.title.empty() || in.title.size() > 300) return Fail(DomainError::Invalid("title", "required"));
  if (in.period_from > in.period_to) return Fail(DomainError::Invalid("period_to", "out_of_range"));
  if (in.min_loans < 0) return Fail(DomainError::Invalid("min_loans", "out_of_range"));
  if (in.card_types.empty()) return Fail(DomainError::Invalid("card_types", "empty"));
  if (in.prizes.empty()) return Fail(DomainError::Invalid("prizes", "empty"));
  for (const auto& p : in.prizes)
    if (p.name.empty() || p.quantity <= 0 || p.quantity > 100000) return Fail(DomainError::Invalid("prizes", "out_of_range"));
  auto now = env.Now();
  auto id = tx.QueryOne(
                  "INSERT INTO lotteries(title, period_from, period_to, min_loans, card_types, public_value_name, status, "
                  "created_at) VALUES (?,?,?,?,?,?,'defined',?) RETURNING id",
                  {in.title, FormatDate(in.period_from), FormatDate(in.period_to), in.min_loans, TypesText(in.card_types),
                   in.public_value_name, ToMillis(now)})
                ->Int(0);
  JsonArray prizes;
  for (std::size_t i = 0; i < in.prizes.size(); ++i) {
    tx.Exec("INSERT INTO lottery_prizes(lottery_id, position, name, quantity) VALUES (?,?,?,?)",
            {id, static_cast<std::int64_t>(i), in.prizes[i].name, in.prizes[i].quantity});
    prizes.push_back(JsonObject{{"name", in.prizes[i].name}, {"quantity", in.prizes[i].quantity}});
  }
  AppendAudit(tx, now, env.tz,
              {actor.label, "lottery.define", fmt::format("lottery:{}", id),
               {{"title", in.title},
                {"period", FormatDate(in.period_from) + "/" + FormatDate(in.period_to)},
                {"min_loans", in.min_loans},
                {"card_types", TypesText(in.card_types)},
                {"prizes", prizes},
                {"public_value_name", in.public_value_name}}});
  return *Load(tx, id, true);
}

Result<LotteryView> FreezeLottery(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id) {
  if (auto ok = Authorize(actor, Permission::kManageEvents); !ok) return Fail(ok.error());
  auto v = InStatus(tx, id, "defined");
  if (!v) return v;
  std::string in_types;
  std::vector<SqlValue> params{FormatDate(v->period_from), FormatDate(v->period_to)};
  for (auto t : v->card_types) {
    in_types += in_types.empty() ? "?" : ",?";
    params.push_back(std::string(ToString(t)));
  }
  params.push_back(v->min_loans);
  auto rows = tx.Query(fmt::format("SELECT c.number FROM cards c WHERE c.status = 'active' AND c.type IN ({}) AND "
                                   "(SELECT COUNT(*) FROM loans l WHERE l.card = c.number AND l.checkout_day >= ? AND "
                                   "l.checkout_day <= ?) >= ?",
                                   in_types),
                       [&] {
                         // card types come first in the SQL text, then the period and the minimum
                         std::vector<SqlValue> p(params.begin() + 2, params.end() - 1);
                         p.push_back(params[0]);
                         p.push_back(params[1]);
                         p.push_back(params.back());
                         return p;
                       }());
  std::vector<std::string> tokens;
  for (const auto& r : rows) {
    auto token = LotteryToken(id, r.Text(0));
    tokens.push_back(token);
    tx.Exec("INSERT INTO lottery_entries(lottery_id, token, card) VALUES (?,?,?)", {id, token, r.Text(0)});
  }
  auto list = LotteryListText(tokens);
  auto secret = crypto::RandomBytes(32);
  auto list_hash = crypto::Sha256Hex(list);
  auto secret_hash = crypto::Sha256Hex(secret);
  auto now = env.Now();
  tx.Exec("UPDATE lotteries SET status = 'frozen', list = ?, list_hash = ?, secret = ?, secret_hash = ?, frozen_at = ? "
          "WHERE id = ?",
          {list, list_hash, crypto::Hex(secret), secret_hash, ToMillis(now), id});
  AppendAudit(tx, now, env.tz,
              {actor.label, "lottery.freeze", fmt::format("lottery:{}", id),
               {{"entries", static_cast<std::int64_t>(tokens.size())},
                {"list_sha256", list_hash},
                {"secret_sha256", secret_hash},
                {"public_value_name", v->public_value_name}}});
  return *Load(tx, id, true);
}

Result<LotteryView> DrawLottery(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id,
                                const std::string& public_value) {
  if (auto ok = Authorize(actor, Permission::kManageEvents); !ok) return Fail(ok.error());
  auto v = InStatus(tx, id, "frozen");
  if (!v) return v;
  if (v->public_value_name.empty() != public_value.empty())
    return Fail(DomainError::Invalid("public_value", v->public_value_name.empty() ? "no public value was named"
                                                                                   : "required"));
  auto secret = *crypto::FromHex(tx.QueryOne("SELECT secret FROM lotteries WHERE id = ?", {id})->Text(0));
  auto seed = LotterySeed(secret, public_value);
  auto now = env.Now();
  tx.Exec("UPDATE lotteries SET status = 'drawn', public_value = ?, seed = ?, drawn_at = ? WHERE id = ?",
          {public_value, crypto::Hex(seed), ToMillis(now), id});
  auto order = Shuffled(tx, id);
  std::int64_t rank = 0;
  JsonArray winners;
  for (std::size_t p = 0; p < v->prizes.size(); ++p) {
    for (std::int64_t k = 0; k < v->prizes[p].quantity && rank < static_cast<std::int64_t>(order.size()); ++k, ++rank) {
      tx.Exec("INSERT INTO lottery_results(lottery_id, rank, token, prize_position, status) VALUES (?,?,?,?,'winner')",
              {id, rank, order[rank], static_cast<std::int64_t>(p)});
      winners.push_back(order[rank]);
    }
  }
  AppendAudit(tx, now, env.tz,
              {actor.label, "lottery.draw", fmt::format("lottery:{}", id),
               {{"public_value", public_value}, {"winners", winners}}});
  return *Load(tx, id, true);
}

Result<LotteryView> DisqualifyWinner(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id,
                                     const std::string& token, const std::string& reason) {
  if (auto ok = Authorize(actor, Permission::kManageEvents); !ok) return Fail(ok.error());
  auto v = InStatus(tx, id, "drawn");
  if (!v) return v;
  if (reason.empty() || reason.size() > 500) return Fail(DomainError::Invalid("reason", "required"));
  auto row = tx.QueryOne(
      "SELECT rank, prize_position FROM lottery_results WHERE lottery_id = ? AND token = ? AND status = 'winner'",
      {id, token});
  if (!row) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "winner"}}));
  tx.Exec("UPDATE lottery_results SET status = 'disqualified', prize_position = NULL, reason = ? WHERE lottery_id = ? "
          "AND rank = ?",
          {reason, id, row->Int(0)});
  // The next entry of the shuffled list not yet used takes the prize.
  auto next = tx.QueryOne("SELECT COALESCE(MAX(rank), -1) + 1 FROM lottery_results WHERE lottery_id = ?", {id})->Int(0);
  auto order = Shuffled(tx, id);
  JsonObject details{{"token", token}, {"reason", reason}};
  if (next < static_cast<std::int64_t>(order.size())) {
    tx.Exec("INSERT INTO lottery_results(lottery_id, rank, token, prize_position, status) VALUES (?,?,?,?,'winner')",
            {id, next, order[next], row->Int(1)});
    details["replacement"] = order[next];
  }
  AppendAudit(tx, env.Now(), env.tz, {actor.label, "lottery.disqualify", fmt::format("lottery:{}", id), details});
  return *Load(tx, id, true);
}

Result<LotteryView> PublishLottery(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id) {
  if (auto ok = Authorize(actor, Permission::kManageEvents); !ok) return Fail(ok.error());
  auto v = InStatus(tx, id, "drawn");
  if (!v) return v;
  auto now = env.Now();
  tx.Exec("UPDATE lotteries SET status = 'published', published_at = ? WHERE id = ?", {ToMillis(now), id});
  for (const auto& w : tx.Query(
           "SELECT e.card, r.prize_position FROM lottery_results r JOIN lottery_entries e ON e.lottery_id = r.lottery_id "
           "AND e.token = r.token WHERE r.lottery_id = ? AND r.status = 'winner'",
           {id}))
    QueueNotice(tx, env, CardNumber(w.Text(0)), "lottery_won",
                {{"lottery_id", id}, {"title", v->title}, {"prize", v->prizes.at(w.Int(1)).name}},
                fmt::format("lottery_won:{}:{}", id, w.Text(0)));
  auto secret = tx.QueryOne("SELECT secret FROM lotteries WHERE id = ?", {id})->Text(0);
  AppendAudit(tx, now, env.tz, {actor.label, "lottery.publish", fmt::format("lottery:{}", id), {{"secret", secret}}});
  return *Load(tx, id, true);
}

Result<LotteryView> GetLottery(SqlTx& tx, std::int64_t id, bool staff_view) { return LoadOr404(tx, id, staff_view); }

std::vector<LotteryView> ListLotteries(SqlTx& tx, bool staff_view) {
  std::vector<LotteryView> out;
  for (const auto& r : tx.Query("SELECT id FROM lotteries ORDER BY id DESC LIMIT 200"))
    out.push_back(*Load(tx, r.Int(0), staff_view));
  return out;
}

Result<std::string> LotteryList(SqlTx& tx, std::int64_t id) {
  auto row = tx.QueryOne("SELECT list FROM lotteries WHERE id = ?", {id});
  if (!row) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "lottery"}}));
  if (row->IsNull(0)) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "list"}}));
  return row->Text(0);
}

std::vector<CardLotteryEntry> CardLotteryEntries(SqlTx& tx, const CardNumber& card) {
  std::vector<CardLotteryEntry> out;
  for (const auto& r : tx.Query(
           "SELECT l.id, l.title, e.token, l.status, "
           " (SELECT p.name FROM lottery_results r JOIN lottery_prizes p ON p.lottery_id = r.lottery_id AND "
           "  p.position = r.prize_position WHERE r.lottery_id = l.id AND r.token = e.token AND r.status = 'winner') "
           "FROM lottery_entries e JOIN lotteries l ON l.id = e.lottery_id WHERE e.card = ? ORDER BY l.id DESC",
           {card.value()})) {
    CardLotteryEntry e{r.Int(0), r.Text(1), r.Text(2), r.Text(3), std::nullopt};
    if (e.status == "published") e.prize = r.OptText(4);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace bookstamp
