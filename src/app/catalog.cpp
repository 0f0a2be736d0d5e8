// Catalog records.
#include "app/catalog.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/repo.hpp"

namespace bookstamp {

Result<BibId> CreateBib(SqlTx& tx, const Env& env, const Actor& actor, const BibInput& in) {
  if (auto ok = Authorize(actor, Permission::kManageCatalog); !ok) return Fail(ok.error());
  if (in.title.empty() || in.title.size() > 2000) return Fail(DomainError::Invalid("title", "required"));
  if (in.year && (*in.year < 0 || *in.year > 9999)) return Fail(DomainError::Invalid("year", "0–9999"));
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const auto& it = in.items[i];
    auto field = fmt::format("items[{}]", i);
    if (it.barcode.empty() || it.barcode.size() > 64) return Fail(DomainError::Invalid(field + ".barcode", "1–64 characters"));
    if (it.item_type.empty() || it.item_type.size() > 32) return Fail(DomainError::Invalid(field + ".item_type", "1–32 characters"));
    if (!repo::FindBranch(tx, BranchCode(it.branch))) return Fail(ErrorCode::kBranchNotFound);
    if (repo::FindItem(tx, ItemBarcode(it.barcode))) return Fail(ErrorCode::kAlreadyExists);
    for (std::size_t j = 0; j < i; ++j)
      if (in.items[j].barcode == it.barcode) return Fail(DomainError::Invalid(field + ".barcode", "repeated"));
  }
  auto now = ToMillis(env.Now());
  auto id = tx.QueryOne(
                  "INSERT INTO bibs(title, author, publisher, year, isbn, class_no, created_at, updated_at) "
                  "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                  {in.title, in.author, in.publisher, in.year ? SqlValue(std::int64_t{*in.year}) : SqlValue(nullptr),
                   in.isbn, in.class_no, now, now})
                ->Int(0);
  JsonArray barcodes;
  for (const auto& it : in.items) {
    tx.Exec(
        "INSERT INTO items(barcode, bib_id, branch, loanable, item_type, call_number, created_at) VALUES "
        "(?,?,?,?,?,?,?)",
        {it.barcode, id, it.branch, std::int64_t{it.loanable}, it.item_type, it.call_number, now});
    barcodes.push_back(it.barcode);
  }
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "bib.create", fmt::format("bib:{}", id), {{"items", std::int64_t(in.items.size())}}});
  return BibId(id);
}

Result<BibView> GetBib(SqlTx& tx, const Env& env, BibId id) {
  auto row = tx.QueryOne(
      "SELECT id, title, author, publisher, year, isbn, class_no, isbns, subjects, series, language, cover_url, "
      "title_vernacular, author_vernacular, publisher_vernacular FROM bibs WHERE id = ?",
      {id.value()});
  if (!row) return Fail(ErrorCode::kBibNotFound);
  BibView v;
  v.id = id;
  v.title = row->Text(1);
  v.author = row->Text(2);
  v.publisher = row->Text(3);
  if (auto y = row->OptInt(4)) v.year = static_cast<int>(*y);
  v.isbn = row->Text(5);
  v.class_no = row->Text(6);
  auto split = [](const std::string& text, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + sep) {
      if (c == sep) {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    return out;
  };
  v.isbns = split(row->Text(7), ' ');
  v.subjects = split(row->Text(8), '\n');
  v.series = split(row->Text(9), '\n');
  v.language = row->Text(10);
  v.cover_url = row->OptText(11).value_or(fmt::format("/api/v1/bibs/{}/cover", id.value()));
  v.title_vernacular = row->Text(12);
  v.author_vernacular = row->Text(13);
  v.publisher_vernacular = row->Text(14);
  auto today = env.Today();
  for (const auto& r : tx.Query(
           "SELECT i.id, i.barcode, i.branch, i.loanable, i.item_type, i.call_number, "
           " (SELECT due_on FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL), "
           " (SELECT status FROM holds h WHERE h.item_id = i.id AND h.status IN ('in_transit','ready')), "
           " (SELECT pickup_by FROM holds h WHERE h.item_id = i.id AND h.status = 'ready') "
           "FROM items i WHERE i.bib_id = ? ORDER BY i.branch, i.barcode",
           {id.value()})) {
    ItemView it;
    it.id = ItemId(r.Int(0));
    it.barcode = ItemBarcode(r.Text(1));
    it.branch = BranchCode(r.Text(2));
    it.loanable = r.Int(3) != 0;
    it.item_type = r.Text(4);
    it.call_number = r.Text(5);
    it.due_on = repo::DateOf(r, 6);
    auto hold_status = r.OptText(7);
    auto pickup_by = repo::DateOf(r, 8);
    if (it.due_on) it.status = "on_loan";
    else if (hold_status == "ready" && pickup_by && *pickup_by >= today) it.status = "on_hold_shelf";
    else if (hold_status == "in_transit") it.status = "in_transit";
    else if (!it.loanable) it.status = "not_loanable";
    else it.status = "available";
    v.items.push_back(std::move(it));
  }
  v.waiting_holds = static_cast<int>(
      tx.QueryOne("SELECT COUNT(*) FROM holds WHERE bib_id = ? AND status = 'waiting'", {id.value()})->Int(0));
  return v;
}

}  // namespace bookstamp
