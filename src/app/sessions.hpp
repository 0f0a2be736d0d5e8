// Logins, bearer sessions and rate limits (API.md "Sessions"). Tokens are random; only their
// SHA-256 is stored. Password and PIN checks (argon2id) run off the writer thread: a login is
// a read (LoadCredential), a verify (crypto::VerifyPassword, on a worker), then a write.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

inline constexpr int kLoginFailureLimit = 5;            // per card or username
inline constexpr int kLoginFailureLimitPerIp = 50;      // per client address
inline constexpr auto kLoginWindow = std::chrono::minutes(15);
inline constexpr auto kPatronSessionTtl = std::chrono::days(30);
inline constexpr auto kStaffSessionTtl = std::chrono::hours(12);

// Stored credential for one login name; nullopt when the card or user does not exist.
struct Credential {
  std::string hash;
  bool usable = true;  // staff account active; cards may log in whatever their state
};

std::optional<Credential> LoadCardCredential(SqlTx& tx, const CardNumber& card);
std::optional<Credential> LoadStaffCredential(SqlTx& tx, const std::string& username);

// RATE_LIMITED when the key or the IP has too many recent failures.
[[nodiscard]] Result<void> CheckLoginRate(SqlTx& tx, const Env& env, const std::string& key, const std::string& ip);
void RecordLoginFailure(SqlTx& tx, const Env& env, const std::string& key, const std::string& ip);

struct CardSummary {
  CardNumber card;
  CardType type = CardType::kPersonal;
  std::string holder_name;
  CardStatus status = CardStatus::kActive;
};

struct PatronSession {
  std::string token;  // shown once
  AccountId account;
  std::vector<CardSummary> cards;
};

// After the PIN verified: the card's account (created on first login), a new session.
[[nodiscard]] Result<PatronSession> OpenPatronSession(SqlTx& tx, const Env& env, const CardNumber& card,
                                                      const std::string& ip);

struct StaffView {
  StaffId id;
  std::string username;
  Role role = Role::kCounter;
  std::optional<BranchCode> branch;
};

struct StaffSession {
  std::string token;
  StaffView staff;
};

[[nodiscard]] Result<StaffSession> OpenStaffSession(SqlTx& tx, const Env& env, const std::string& username,
                                                    const std::string& ip);

// The caller behind a bearer token, or UNAUTHENTICATED.
[[nodiscard]] Result<Actor> Authenticate(SqlTx& tx, const Env& env, const std::string& token);
void RevokeSession(SqlTx& tx, const std::string& token);

std::vector<CardSummary> AccountCards(SqlTx& tx, AccountId account);
// The language of the account's notices (mail, push, inbox text): "zh-TW" or "en".
std::string AccountLanguage(SqlTx& tx, AccountId account);
// VALIDATION_FAILED (field "lang") unless lang is "zh-TW" or "en".
[[nodiscard]] Result<void> SetAccountLanguage(SqlTx& tx, AccountId account, const std::string& lang);
// CARD_NOT_FOUND unless the card is linked to the account (so numbers cannot be probed).
[[nodiscard]] Result<void> RequireLinkedCard(SqlTx& tx, AccountId account, const CardNumber& card);

// After the PIN verified: link the card to the account (CARD_ALREADY_LINKED when it has one).
[[nodiscard]] Result<CardSummary> LinkCard(SqlTx& tx, const Env& env, AccountId account, const CardNumber& card);
[[nodiscard]] Result<void> UnlinkCard(SqlTx& tx, const Env& env, AccountId account, const CardNumber& card);

std::string TokenHash(const std::string& token);

}  // namespace bookstamp
