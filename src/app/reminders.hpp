// Scheduled reminders (PRODUCT.md P10): due in 2 days, overdue (the day after, then weekly), hold
// pickup ending tomorrow and registered events starting tomorrow, queued as notices with dedupe keys so each occurrence is queued once even
// across restarts; due and overdue items also go into one daily digest mail per card.
#pragma once
#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

struct ReminderCounts {
  int due_soon = 0;
  int overdue = 0;
  int pickup_ending = 0;
  int event_tomorrow = 0;
  int digests = 0;
};

// The overdue occurrence a loan is in on `today`: 0 the day after the due day, then 1, 2, ... every
// 7 days; nullopt while not overdue.
std::optional<int> OverdueOccurrence(Date due_on, Date today);

// One scheduler pass, in the caller's transaction (run it from the sweeper; safe to run often and
// after any downtime: a missed occurrence is queued late, never twice). The per-item due_soon and
// overdue notices go to the inbox; their e-mail is the day's digest notice (kind "digest").
// Expired redemption codes are not here: ExpireRedemptions (app/prizes.hpp), run by the same sweeper,
// refunds them and queues "redemption_expired" in that transaction, once per redemption.
ReminderCounts QueueReminders(SqlTx& tx, const Env& env);

}  // namespace bookstamp
