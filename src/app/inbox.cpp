// Inbox reads and writes, and notice preferences.
#include "app/inbox.hpp"

#include <algorithm>

namespace bookstamp {

const std::vector<std::string>& NoticeKinds() {
  static const std::vector<std::string> kinds{
      "hold_ready",       "pickup_ending",   "due_soon",           "overdue",
      "suspension",       "reserve_suspended", "redemption_pending", "redemption_done",
      "redemption_cancelled", "redemption_expired", "code_expiring", "event_registered",
      "event_points",     "event_tomorrow",  "lottery_won",        "pin_changed"};
  return kinds;
}

std::vector<InboxNotice> ListInbox(SqlTx& tx, const CardNumber& card, int limit, std::optional<std::int64_t> before) {
  auto rows = tx.Query(
      "SELECT id, kind, payload, created_at, read_at FROM notices WHERE card = ? AND kind <> 'digest' "
      "AND id < ? ORDER BY id DESC LIMIT ?",
      {card.value(), before.value_or(INT64_MAX), std::int64_t{limit}});
  std::vector<InboxNotice> out;
  for (const auto& r : rows) {
    std::optional<Instant> read;
    if (auto ms = r.OptInt(4)) read = FromMillis(*ms);
    out.push_back({r.Int(0), r.Text(1), r.Text(2), FromMillis(r.Int(3)), read});
  }
  return out;
}

std::int64_t UnreadCount(SqlTx& tx, const CardNumber& card) {
  return tx.QueryOne("SELECT COUNT(*) FROM notices WHERE card = ? AND kind <> 'digest' AND read_at IS NULL",
                     {card.value()})
      ->Int(0);
}

Result<void> MarkNoticeRead(SqlTx& tx, const Env& env, const CardNumber& card, std::int64_t id) {
  if (!tx.QueryOne("SELECT 1 FROM notices WHERE id = ? AND card = ? AND kind <> 'digest'", {id, card.value()}))
    return Fail(ErrorCode::kNotFound);
  tx.Exec("UPDATE notices SET read_at = ? WHERE id = ? AND read_at IS NULL", {ToMillis(env.Now()), id});
  return {};
}

std::int64_t MarkAllNoticesRead(SqlTx& tx, const Env& env, const CardNumber& card) {
  return tx.Exec("UPDATE notices SET read_at = ? WHERE card = ? AND read_at IS NULL", {ToMillis(env.Now()), card.value()});
}

std::vector<NoticePreference> LoadNoticePreferences(SqlTx& tx, const CardNumber& card) {
  std::vector<NoticePreference> out;
  for (const auto& r : tx.Query("SELECT kind, channel, enabled FROM notice_preferences WHERE card = ? "
                                "ORDER BY kind, channel",
                                {card.value()}))
    out.push_back({r.Text(0), r.Text(1), r.Int(2) != 0});
  return out;
}

Result<void> SaveNoticePreferences(SqlTx& tx, const CardNumber& card, const std::vector<NoticePreference>& prefs) {
  const auto& kinds = NoticeKinds();
  for (const auto& p : prefs) {
    if (p.kind != "*" && std::find(kinds.begin(), kinds.end(), p.kind) == kinds.end())
      return Fail(DomainError::Invalid("preferences", "unknown_kind"));
    if (p.channel != "email" && p.channel != "push" && p.channel != "inbox")
      return Fail(DomainError::Invalid("preferences", "unknown_channel"));
  }
  tx.Exec("DELETE FROM notice_preferences WHERE card = ?", {card.value()});
  for (const auto& p : prefs)
    tx.Exec(
        "INSERT INTO notice_preferences(card, kind, channel, enabled) VALUES (?,?,?,?) "
        "ON CONFLICT(card, kind, channel) DO UPDATE SET enabled = excluded.enabled",
        {card.value(), p.kind, p.channel, std::int64_t{p.enabled ? 1 : 0}});
  return {};
}

}  // namespace bookstamp
