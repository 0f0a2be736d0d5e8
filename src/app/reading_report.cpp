#include "app/reading_report.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>

namespace bookstamp {
namespace {

// "863.57" → "8"; anything not starting with a digit (or empty) → "unclassified".
std::string MainClass(const std::string& class_no) {
  for (char c : class_no) {
    if (c == ' ' || c == '\t') continue;
    if (std::isdigit(static_cast<unsigned char>(c))) return std::string(1, c);
    break;
  }
  return "unclassified";
}

int YearOf(const std::string& day) { return day.size() >= 4 ? std::stoi(day.substr(0, 4)) : 0; }

}  // namespace

std::string ClassName(const std::string& code, const std::string& lang) {
  struct Names {
    const char* zh;
    const char* en;
  };
  static const std::map<std::string, Names> names{
      {"0", {"總類", "General works"}},
      {"1", {"哲學類", "Philosophy"}},
      {"2", {"宗教類", "Religion"}},
      {"3", {"科學類", "Sciences"}},
      {"4", {"應用科學類", "Applied sciences"}},
      {"5", {"社會科學類", "Social sciences"}},
      {"6", {"中國史地類", "History & geography of China"}},
      {"7", {"世界史地類", "World history & geography"}},
      {"8", {"語言文學類", "Language & literature"}},
      {"9", {"藝術類", "Arts"}},
      {"unclassified", {"未分類", "Unclassified"}},
  };
  auto it = names.find(code);
  if (it == names.end()) return code;
  return lang == "en" ? it->second.en : it->second.zh;
}

Result<ReadingReport> ReadingReportFor(SqlTx& tx, const Env& env, const CardNumber& card, std::optional<int> year) {
  auto c = tx.QueryOne("SELECT keep_history FROM cards WHERE number = ?", {card.value()});
  if (!c) return Fail(ErrorCode::kCardNotFound);
  int this_year = static_cast<int>(std::chrono::year_month_day(env.Today()).year());
  int y = year.value_or(this_year);
  if (y < 1900 || y > 9999) return Fail(DomainError::Invalid("year", "out_of_range"));

  ReadingReport rep;
  rep.year = y;
  rep.history_kept = c->Int(0) != 0;

  // checkout_day is the local day (YYYY-MM-DD); an erased loan keeps its day but not its bib.
  std::map<std::string, std::int64_t> classes;
  auto prefix = fmt::format("{:04d}-", y);
  for (const auto& r : tx.Query("SELECT l.checkout_day, l.bib_id IS NULL, COALESCE(b.class_no, '') FROM loans l "
                                "LEFT JOIN bibs b ON b.id = l.bib_id WHERE l.card = ? AND l.checkout_day LIKE ?",
                                {card.value(), prefix + "%"})) {
    auto day = r.Text(0);
    int m = day.size() >= 7 ? std::stoi(day.substr(5, 2)) : 0;
    if (m < 1 || m > 12) continue;
    ++rep.loans_by_month[static_cast<std::size_t>(m - 1)];
    ++rep.loans_year;
    if (r.Int(1) != 0) {
      ++rep.erased;
    } else if (rep.history_kept) {
      ++classes[MainClass(r.Text(2))];
    }
  }
  if (rep.history_kept) {
    for (char d = '0'; d <= '9'; ++d) rep.by_class.push_back({std::string(1, d), classes[std::string(1, d)]});
    rep.by_class.push_back({"unclassified", classes["unclassified"]});
  }
  if (auto n = tx.QueryOne("SELECT COUNT(*) FROM loans WHERE card = ?", {card.value()})) rep.loans_lifetime = n->Int(0);

  // Same sums as the passbook's earned / spent.
  std::map<int, YearPoints> years;
  for (const auto& r : tx.Query("SELECT substr(day, 1, 4), kind, SUM(delta) FROM ledger WHERE card = ? "
                                "GROUP BY substr(day, 1, 4), kind",
                                {card.value()})) {
    int yr = YearOf(r.Text(0));
    auto kind = r.Text(1);
    auto sum = r.Int(2);
    auto& p = years[yr];
    p.year = yr;
    if (kind == "loan" || kind == "event") p.earned += sum;
    if (kind == "redemption" || kind == "registration" || kind == "refund") p.spent -= sum;
  }
  if (!years.empty()) {
    int last = std::max(this_year, years.rbegin()->first);
    for (int yr = years.begin()->first; yr <= last; ++yr) {
      auto it = years.find(yr);
      YearPoints p = it == years.end() ? YearPoints{yr, 0, 0} : it->second;
      rep.points_earned += p.earned;
      rep.points_spent += p.spent;
      rep.points_by_year.push_back(p);
    }
  }
  return rep;
}

}  // namespace bookstamp
