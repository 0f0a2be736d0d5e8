// The patron's inbox over the outbox's notices (read/unread), and per-card notice preferences per
// kind and channel. ARCHITECTURE.md "Outbox"; PRODUCT.md P10.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

struct InboxNotice {
  std::int64_t id;
  std::string kind;
  std::string payload;  // JSON object, as queued
  Instant created_at;
  std::optional<Instant> read_at;
};

// Newest first, at most `limit`, older than `before` (a notice id) when given. Mail-only notices
// (the daily digest) are not listed: their items are.
std::vector<InboxNotice> ListInbox(SqlTx& tx, const CardNumber& card, int limit, std::optional<std::int64_t> before);
std::int64_t UnreadCount(SqlTx& tx, const CardNumber& card);

// Marks one notice read (idempotent). NOT_FOUND when the card has no such notice.
[[nodiscard]] Result<void> MarkNoticeRead(SqlTx& tx, const Env& env, const CardNumber& card, std::int64_t id);
// Marks every unread notice of the card read; returns how many changed.
std::int64_t MarkAllNoticesRead(SqlTx& tx, const Env& env, const CardNumber& card);

struct NoticePreference {
  std::string kind;     // a kind of NoticeKinds(), or "*" for every kind
  std::string channel;  // "email", "push" or "inbox"
  bool enabled = true;
};

// The kinds a patron can choose about, in display order.
const std::vector<std::string>& NoticeKinds();
// The card's stored choices (no row: enabled).
std::vector<NoticePreference> LoadNoticePreferences(SqlTx& tx, const CardNumber& card);
// Replaces the card's choices. VALIDATION_FAILED (field "preferences") for an unknown kind or channel.
[[nodiscard]] Result<void> SaveNoticePreferences(SqlTx& tx, const CardNumber& card,
                                                 const std::vector<NoticePreference>& prefs);

}  // namespace bookstamp
