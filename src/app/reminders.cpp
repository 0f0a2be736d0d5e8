// The reminder pass: loans due soon or overdue, holds whose pickup ends tomorrow, events tomorrow,
// the daily digest.
#include "app/reminders.hpp"

#include <fmt/format.h>

#include <map>

#include "app/notices.hpp"

namespace bookstamp {
namespace {

bool Queued(SqlTx& tx, const std::string& key) {
  return tx.QueryOne("SELECT 1 FROM notices WHERE dedupe_key = ?", {key}).has_value();
}

}  // namespace

std::optional<int> OverdueOccurrence(Date due_on, Date today) {
  auto late = (today - due_on).count();
  if (late < 1) return std::nullopt;
  return static_cast<int>((late - 1) / 7);
}

ReminderCounts QueueReminders(SqlTx& tx, const Env& env) {
  ReminderCounts counts;
  const Date today = env.Today();
  // Items newly queued this pass, per card, for the digest.
  std::map<std::string, std::pair<JsonArray, std::vector<std::string>>> digest;  // card -> (items, keys)

  auto loans = tx.Query(
      "SELECT l.id, l.card, l.due_on, COALESCE(b.title, '') FROM loans l LEFT JOIN bibs b ON b.id = l.bib_id "
      "WHERE l.returned_at IS NULL AND l.due_on <= ? ORDER BY l.card, l.due_on, l.id",
      {FormatDate(today + Days(2))});
  for (const auto& r : loans) {
    const auto loan = r.Int(0);
    const CardNumber card(r.Text(1));
    auto due = ParseDate(r.Text(2));
    if (!due) continue;
    std::string kind, key;
    if (*due == today + Days(2)) {
      kind = "due_soon";
      key = fmt::format("due_soon:{}:{}", loan, FormatDate(*due));
    } else if (auto k = OverdueOccurrence(*due, today)) {
      kind = "overdue";
      key = fmt::format("overdue:{}:{}:{}", loan, FormatDate(*due), *k);
    } else {
      continue;
    }
    if (Queued(tx, key)) continue;
    JsonObject item{{"loan_id", loan}, {"title", r.Text(3)}, {"due_on", FormatDate(*due)}};
    QueueNotice(tx, env, card, kind, item, key);
    (kind == "due_soon" ? counts.due_soon : counts.overdue)++;
    item["kind"] = kind;
    auto& [items, keys] = digest[card.value()];
    items.push_back(std::move(item));
    keys.push_back(key);
  }

  for (auto& [card, entry] : digest) {
    auto& [items, keys] = entry;
    const auto key = fmt::format("digest:{}:{}", card, FormatDate(today));
    // A second batch on the same day (rare) keeps its own mails rather than lose them.
    if (Queued(tx, key)) continue;
    QueueNotice(tx, env, CardNumber(card), "digest", {{"date", FormatDate(today)}, {"items", items}}, key);
    ++counts.digests;
    for (const auto& k : keys)
      tx.Exec(
          "UPDATE deliveries SET status = 'skipped', last_error = 'sent in the daily digest' "
          "WHERE channel = 'email' AND status = 'pending' AND notice_id = (SELECT id FROM notices WHERE dedupe_key = ?)",
          {k});
  }

  auto holds = tx.Query(
      "SELECT h.id, h.card, h.pickup_branch, h.pickup_by, COALESCE(b.title, '') FROM holds h "
      "JOIN bibs b ON b.id = h.bib_id WHERE h.status = 'ready' AND h.pickup_by = ?",
      {FormatDate(today + Days(1))});
  for (const auto& r : holds) {
    const auto key = fmt::format("pickup_ending:{}:{}", r.Int(0), r.Text(3));
    if (Queued(tx, key)) continue;
    QueueNotice(tx, env, CardNumber(r.Text(1)), "pickup_ending",
                {{"hold_id", r.Int(0)}, {"branch", r.Text(2)}, {"pickup_by", r.Text(3)}, {"title", r.Text(4)}}, key);
    ++counts.pickup_ending;
  }

  // Events starting on the next local day, to every card registered for them (活動提醒). The key
  // holds the start, so a moved event reminds again for its new day.
  auto events = tx.Query(
      "SELECT e.id, r.card, e.title, e.starts_at, e.branch FROM registrations r JOIN events e ON e.id = r.event_id "
      "WHERE r.status = 'registered' AND e.starts_at >= ? AND e.starts_at < ? ORDER BY e.starts_at, e.id, r.card",
      {ToMillis(env.tz.StartOfDay(today + Days(1))), ToMillis(env.tz.StartOfDay(today + Days(2)))});
  for (const auto& r : events) {
    const auto key = fmt::format("event_tomorrow:{}:{}:{}", r.Int(0), r.Text(1), r.Int(3));
    if (Queued(tx, key)) continue;
    // "2026-03-03 14:00", the library's local time.
    auto starts = env.tz.Rfc3339(FromMillis(r.Int(3))).substr(0, 16);
    starts[10] = ' ';
    QueueNotice(tx, env, CardNumber(r.Text(1)), "event_tomorrow",
                {{"event_id", r.Int(0)}, {"title", r.Text(2)}, {"starts_at", starts}, {"branch", r.Text(4)}}, key);
    ++counts.event_tomorrow;
  }
  return counts;
}

}  // namespace bookstamp
