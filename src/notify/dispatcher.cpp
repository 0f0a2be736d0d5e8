// Outbox dispatch: claim (write tx) → send (no tx) → record (write tx).
#include "notify/dispatcher.hpp"

#include <fmt/format.h>

#include <vector>

#include "app/crypto.hpp"
#include "app/notice_text.hpp"
#include "app/notices.hpp"
#include "notify/mime.hpp"

namespace bookstamp::notify {
namespace {

struct Claimed {
  std::int64_t delivery_id;
  int attempts;  // including this one
  std::string token;
  MailMessage mail;
};

void LogAttempt(SqlTx& tx, std::int64_t delivery_id, std::int64_t at, const char* outcome, const std::string& detail) {
  tx.Exec("INSERT INTO delivery_attempts(delivery_id, at, outcome, detail) VALUES (?,?,?,?)",
          {delivery_id, at, std::string(outcome), detail});
}

}  // namespace

std::chrono::milliseconds RetryDelay(int failed_attempts, std::chrono::milliseconds base,
                                     std::chrono::milliseconds max) {
  if (failed_attempts < 1) failed_attempts = 1;
  auto d = base;
  for (int i = 1; i < failed_attempts; ++i) {
    if (d >= max) break;
    d *= 2;
  }
  return std::min(d, max);
}

Dispatcher::Dispatcher(Store& store, const Clock& clock, Mailer& mailer, DispatcherOptions options)
    : store_(store), clock_(clock), mailer_(mailer), options_(std::move(options)) {}

int Dispatcher::RunOnce() {
  std::vector<Claimed> claimed;
  store_.Write([&](SqlTx& tx) {
    claimed.clear();
    const auto now = ToMillis(clock_.Now());
    auto rows = tx.Query(
        "SELECT d.id, d.attempts, n.id, n.card, n.kind, n.payload, p.email, COALESCE(a.lang, 'zh-TW') "
        "FROM deliveries d JOIN notices n ON n.id = d.notice_id JOIN cards c ON c.number = n.card "
        "JOIN patrons p ON p.id = c.patron_id LEFT JOIN accounts a ON a.id = c.account_id "
        "WHERE d.channel = 'email' AND ((d.status = 'pending' AND d.next_attempt_at <= ?) "
        "OR (d.status = 'sending' AND d.lease_until <= ?)) ORDER BY d.next_attempt_at, d.id LIMIT ?",
        {now, now, std::int64_t{options_.batch}});
    for (const auto& r : rows) {
      const auto delivery = r.Int(0);
      const int attempts = static_cast<int>(r.Int(1));
      const auto notice = r.Int(2);
      const auto card = r.Text(3);
      const auto kind = r.Text(4);
      const auto email = r.OptText(6).value_or("");
      const bool wanted = NoticeWanted(tx, CardNumber(card), kind, "email");
      // An address that could smuggle SMTP commands or headers is never used.
      const bool usable = email.find('@') != std::string::npos &&
                          email.find_first_of(std::string("\r\n<>\" \t\0", 8)) == std::string::npos;
      if (!usable || !wanted) {
        tx.Exec("UPDATE deliveries SET status = 'skipped', lease_until = NULL, claim_token = NULL WHERE id = ?",
                {delivery});
        LogAttempt(tx, delivery, now, "skipped",
                   email.empty() ? "no e-mail address" : !usable ? "unusable e-mail address" : "turned off by the patron");
        continue;
      }
      if (attempts >= options_.max_attempts) {
        // A lease ran out after the last allowed attempt: give up rather than try an eleventh time.
        tx.Exec("UPDATE deliveries SET status = 'failed', lease_until = NULL, claim_token = NULL WHERE id = ?",
                {delivery});
        continue;
      }
      auto text = RenderNotice(kind, r.Text(5), r.Text(7));
      Claimed c{delivery, attempts + 1, crypto::Hex(crypto::RandomBytes(12)),
                MailMessage{email, NoticeMessageId(notice, options_.server_key, options_.message_id_domain), text.title,
                            text.text, text.html}};
      tx.Exec(
          "UPDATE deliveries SET status = 'sending', attempts = ?, lease_until = ?, claim_token = ?, message_id = ? "
          "WHERE id = ?",
          {std::int64_t{c.attempts}, now + options_.lease.count(), c.token, c.mail.message_id, delivery});
      claimed.push_back(std::move(c));
    }
    return TxOutcome::kCommit;
  });

  int sent = 0;
  for (const auto& c : claimed) {
    MailResult result = mailer_.Send(c.mail);
    store_.Write([&](SqlTx& tx) {
      const auto now = ToMillis(clock_.Now());
      if (result.ok) {
        // Only the holder of the lease records; a dispatcher that lost it to a takeover stays quiet.
        auto n = tx.Exec(
            "UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = NULL, lease_until = NULL, "
            "claim_token = NULL WHERE id = ? AND status = 'sending' AND claim_token = ?",
            {now, c.delivery_id, c.token});
        LogAttempt(tx, c.delivery_id, now, "sent", result.detail);
        (void)n;
        return TxOutcome::kCommit;
      }
      const bool give_up = result.permanent || c.attempts >= options_.max_attempts;
      const auto next = now + RetryDelay(c.attempts, options_.retry_base, options_.retry_max).count();
      tx.Exec(
          "UPDATE deliveries SET status = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL, "
          "claim_token = NULL WHERE id = ? AND status = 'sending' AND claim_token = ?",
          {std::string(give_up ? "failed" : "pending"), next, result.detail, c.delivery_id, c.token});
      LogAttempt(tx, c.delivery_id, now, "error", result.detail);
      return TxOutcome::kCommit;
    });
    if (result.ok) ++sent;
  }
  return sent;
}

}  // namespace bookstamp::notify
