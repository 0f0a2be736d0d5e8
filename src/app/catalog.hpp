// Bibliographic records and their items (API.md POST /bibs, GET /bibs/{id}).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

struct ItemInput {
  std::string barcode;
  std::string branch;
  bool loanable = true;
  std::string item_type = "book";
  std::string call_number;
};

struct BibInput {
  std::string title;
  std::string author;
  std::string publisher;
  std::optional<int> year;
  std::string isbn;
  std::string class_no;
  std::vector<ItemInput> items;
};

[[nodiscard]] Result<BibId> CreateBib(SqlTx& tx, const Env& env, const Actor& actor, const BibInput& in);

struct ItemView {
  ItemId id;
  ItemBarcode barcode;
  BranchCode branch;
  bool loanable = true;
  std::string item_type;
  std::string call_number;
  std::string status;  // "available", "on_loan", "on_hold_shelf", "in_transit", "not_loanable"
  std::optional<Date> due_on;
};

struct BibView {
  BibId id;
  std::string title, author, publisher, isbn, class_no;
  std::optional<int> year;
  std::vector<std::string> isbns, subjects, series;
  std::string language;                 // MARC code ("chi", "eng"), empty when unknown
  std::string cover_url;                // the record's own, else the generated placeholder
  std::string title_vernacular, author_vernacular, publisher_vernacular;  // MARC 880
  std::vector<ItemView> items;
  int waiting_holds = 0;
};

[[nodiscard]] Result<BibView> GetBib(SqlTx& tx, const Env& env, BibId id);

}  // namespace bookstamp
