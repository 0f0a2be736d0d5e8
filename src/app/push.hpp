// Web Push subscriptions per card and the server's stored VAPID key (PRODUCT.md P10; docs/operations.md
// "Web Push"). The sending is notify/push_dispatcher.hpp's; this is the part the HTTP API needs.
#pragma once
#include <optional>
#include <string>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

// A browser's PushSubscription.toJSON(): the push service's URL and the keys, base64url.
struct PushSubscriptionInput {
  std::string endpoint;
  std::string p256dh;  // 65-byte uncompressed P-256 point
  std::string auth;    // 16-byte secret
};

// Where a push may be sent: https to a named host, at most 2048 characters, no spaces or control
// characters. Local targets (this machine over plain http, IP literals, localhost, *.local,
// *.internal) only with `allow_local` ([push] allow_local_endpoints, for a developer's or a test's
// push service): else any patron could make the server post to services inside the network.
bool IsAllowedPushEndpoint(const std::string& endpoint, bool allow_local = false);

inline constexpr int kMaxPushSubscriptionsPerCard = 10;

// Adds the subscription to `card`, or, for an endpoint already known, takes it over with the new keys
// (a browser that re-subscribed or switched cards). Returns true when the row is new. A card keeps
// at most kMaxPushSubscriptionsPerCard: the one longest without a delivered push is dropped.
// VALIDATION_FAILED with field "endpoint", "keys.p256dh" or "keys.auth" for bad input; nothing changes.
[[nodiscard]] Result<bool> SavePushSubscription(SqlTx& tx, const Env& env, const CardNumber& card,
                                                const PushSubscriptionInput& in, bool allow_local = false);

// Removes the card's subscription with that endpoint; its unsent pushes are skipped.
// NOT_FOUND when the card has no such subscription.
[[nodiscard]] Result<void> DeletePushSubscription(SqlTx& tx, const CardNumber& card, const std::string& endpoint);

// How many subscriptions the card has.
std::int64_t PushSubscriptionCount(SqlTx& tx, const CardNumber& card);

// The stored VAPID key, base64url (nullopt before the server's first start made one).
struct StoredVapidKey {
  std::string private_key;
  std::string public_key;
};
std::optional<StoredVapidKey> LoadVapidKey(SqlTx& tx);
// Stores `key` unless one is stored already; returns the stored one (so two servers starting at
// once agree on one key).
StoredVapidKey StoreVapidKeyIfAbsent(SqlTx& tx, const Env& env, const StoredVapidKey& key);

}  // namespace bookstamp
