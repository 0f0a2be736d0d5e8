// The patron's reading report (PRODUCT.md P12): loans per month and per classification class,
// points earned and spent per year. Classes come from titles, so they follow the card's
// reading-history setting (RULES.md Privacy): with history off they are not reported.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

struct ClassCount {
  std::string code;  // "0".."9" (the main class of 中國圖書分類法), or "unclassified"
  std::int64_t loans = 0;
};

struct YearPoints {
  int year = 0;
  std::int64_t earned = 0;  // loan + event credits
  std::int64_t spent = 0;   // redemption + registration debits minus their refunds
};

struct ReadingReport {
  int year = 0;
  bool history_kept = true;
  std::array<std::int64_t, 12> loans_by_month{};  // by local checkout day, January first
  // Loans of the year by class; empty when the card does not keep its reading history.
  std::vector<ClassCount> by_class;
  // Returned loans of the year whose title was erased: counted by month, never classified.
  std::int64_t erased = 0;
  std::vector<YearPoints> points_by_year;  // first ledger year through this year, oldest first
  std::int64_t loans_year = 0, loans_lifetime = 0;
  std::int64_t points_earned = 0, points_spent = 0;  // over the card's life
};

// year: nullopt is this year; VALIDATION_FAILED outside 1900..9999, CARD_NOT_FOUND without the card.
[[nodiscard]] Result<ReadingReport> ReadingReportFor(SqlTx& tx, const Env& env, const CardNumber& card,
                                                     std::optional<int> year);

// The class's name ("800" → 語言文學類 / Language & literature) in lang ("en" or Chinese).
std::string ClassName(const std::string& code, const std::string& lang);

}  // namespace bookstamp
