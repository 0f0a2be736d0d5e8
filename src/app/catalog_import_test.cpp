#include "app/catalog_import.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "app/app_test_support.hpp"
#include "app/audit.hpp"

namespace bookstamp {
namespace {

using testing::Library;

CatalogRecord Record(const std::string& key, const std::string& title, std::vector<ItemInput> items = {}) {
  CatalogRecord r;
  r.position = "test record " + key;
  r.record_key = key;
  r.bib.title = title;
  r.bib.author = "Author";
  r.bib.year = 2001;
  r.bib.items = std::move(items);
  r.isbns = {"0306406152"};
  r.bib.isbn = "0306406152";
  r.subjects = {"Purgatory", "Legends"};
  r.language = "fre";
  return r;
}

ItemInput Copy(const std::string& barcode, const std::string& branch, const std::string& call = "") {
  ItemInput i;
  i.barcode = barcode;
  i.branch = branch;
  i.call_number = call;
  return i;
}

// A source that hands out prepared entries.
class ListSource final : public CatalogRecordSource {
 public:
  void Add(CatalogRecord r) {
    Entry e;
    e.record = std::move(r);
    entries_.push_back(std::move(e));
  }
  void Refuse(std::string position, std::string reason) {
    Entry e;
    e.kind = Entry::Kind::kRefused;
    e.problem = {std::move(position), std::move(reason)};
    entries_.push_back(std::move(e));
  }
  void Ignore(std::string position, std::string reason) {
    Entry e;
    e.kind = Entry::Kind::kIgnored;
    e.problem = {std::move(position), std::move(reason)};
    entries_.push_back(std::move(e));
  }
  std::optional<Entry> Next() override {
    if (entries_.empty()) return std::nullopt;
    auto e = std::move(entries_.front());
    entries_.pop_front();
    ++read_;
    return e;
  }
  std::uint64_t BytesRead() const override { return read_; }
  std::uint64_t BytesTotal() const override { return 0; }

 private:
  std::deque<Entry> entries_;
  std::uint64_t read_ = 0;
};

class CatalogImport : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddBranch("B");
  }
  CatalogImportSummary Import(ListSource& source, CatalogImportOptions options = {}) {
    CatalogImporter importer(lib.store(), env, Actor::System("test"), options);
    EXPECT_TRUE(importer.Import(source));
    return importer.summary();
  }
  std::int64_t Count(const std::string& sql) {
    return lib.Read([&](SqlTx& tx) { return tx.QueryOne(sql)->Int(0); });
  }
  Library lib;
  Env env = lib.env();
};

TEST_F(CatalogImport, CreatesRecordsAndCopies) {
  ListSource s;
  s.Add(Record("(X)1", "One", {Copy("B1", "A", "863.57 F"), Copy("B2", "B")}));
  s.Add(Record("(X)2", "Two"));
  auto sum = Import(s);
  EXPECT_EQ(sum.records, 2);
  EXPECT_EQ(sum.bibs_created, 2);
  EXPECT_EQ(sum.items_created, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bibs"), 2);
  auto row = lib.Read([](SqlTx& tx) {
    return *tx.QueryOne("SELECT title, isbns, subjects, language, record_key FROM bibs WHERE record_key = '(X)1'");
  });
  EXPECT_EQ(row.Text(0), "One");
  EXPECT_EQ(row.Text(1), "0306406152");
  EXPECT_EQ(row.Text(2), "Purgatory\nLegends");
  EXPECT_EQ(row.Text(3), "fre");
  EXPECT_EQ(
      lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT call_number FROM items WHERE barcode='B1'")->Text(0); }),
      "863.57 F");
}

TEST_F(CatalogImport, ReimportUpdatesInsteadOfDuplicating) {
  ListSource first;
  first.Add(Record("(X)1", "One", {Copy("B1", "A")}));
  first.Add(Record("(X)2", "Two", {Copy("B2", "A")}));
  Import(first);

  ListSource again;
  again.Add(Record("(X)1", "One, revised", {Copy("B1", "B"), Copy("B3", "A")}));
  again.Add(Record("(X)2", "Two", {Copy("B2", "A")}));
  auto sum = Import(again);
  EXPECT_EQ(sum.bibs_created, 0);
  EXPECT_EQ(sum.bibs_updated, 1);
  EXPECT_EQ(sum.bibs_unchanged, 1);
  EXPECT_EQ(sum.items_created, 1);
  EXPECT_EQ(sum.items_updated, 1);
  EXPECT_EQ(sum.items_unchanged, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bibs"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM items"), 3);
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT branch FROM items WHERE barcode='B1'")->Text(0); }),
            "B");
}

TEST_F(CatalogImport, CountsRefusedAndIgnoredEntries) {
  ListSource s;
  s.Add(Record("(X)1", "One"));
  s.Refuse("f.mrc record 2 (byte 900)", "leader: record length 'x' is not five digits");
  s.Ignore("f.mrc record 3 (byte 1800)", "authority record (leader/06 'z'), not bibliographic");
  s.Add(Record("(X)4", ""));
  auto sum = Import(s);
  EXPECT_EQ(sum.records, 4);
  EXPECT_EQ(sum.bibs_created, 1);
  EXPECT_EQ(sum.refused, 2);
  EXPECT_EQ(sum.ignored, 1);
  ASSERT_EQ(sum.problems.size(), 2u);
  EXPECT_EQ(sum.problems[0].position, "f.mrc record 2 (byte 900)");
  EXPECT_EQ(sum.problems[1].position, "test record (X)4");
  EXPECT_EQ(sum.problems[1].reason, "no title");
  ASSERT_EQ(sum.notes.size(), 1u);
}

TEST_F(CatalogImport, SkipsCopiesItCannotPlaceAndSaysWhy) {
  auto lib_b = Record("(X)9", "Other", {Copy("TAKEN", "A")});
  ListSource first;
  first.Add(lib_b);
  Import(first);
  ListSource s;
  s.Add(Record(
      "(X)1", "One",
      {Copy("", "A"), Copy("C1", "NOWHERE"), Copy("C2", ""), Copy("TAKEN", "A"), Copy("C3", "A"), Copy("C3", "A")}));
  auto sum = Import(s);
  EXPECT_EQ(sum.items_created, 1);
  EXPECT_EQ(sum.items_skipped, 5);
  EXPECT_EQ(sum.item_skips["no barcode"], 1);
  EXPECT_EQ(sum.item_skips["unknown branch NOWHERE"], 1);
  EXPECT_EQ(sum.item_skips["no branch"], 1);
  EXPECT_EQ(sum.item_skips["barcode belongs to another record"], 1);
  EXPECT_EQ(sum.item_skips["barcode repeated in the record"], 1);
}

TEST_F(CatalogImport, MapsCreatesOrDefaultsBranches) {
  ListSource s;
  s.Add(Record("(X)1", "One", {Copy("M1", "ALDERMAN"), Copy("M2", "IVY"), Copy("M3", "has space")}));
  CatalogImportOptions mapped;
  mapped.branch_map = {{"ALDERMAN", "B"}};
  mapped.create_branches = true;
  mapped.default_branch = "A";
  auto sum = Import(s, mapped);
  EXPECT_EQ(sum.items_created, 3);
  EXPECT_EQ(sum.branches_created, std::vector<std::string>{"IVY"});
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT branch FROM items WHERE barcode='M1'")->Text(0); }),
            "B");
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT branch FROM items WHERE barcode='M2'")->Text(0); }),
            "IVY");
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT branch FROM items WHERE barcode='M3'")->Text(0); }),
            "A");
}

TEST_F(CatalogImport, RefusesAnUnknownDefaultBranch) {
  ListSource s;
  CatalogImportOptions o;
  o.default_branch = "NOPE";
  CatalogImporter importer(lib.store(), env, Actor::System("test"), o);
  auto r = importer.Import(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBranchNotFound);
}

TEST_F(CatalogImport, RefusesAnActorWhoCannotManageTheCatalog) {
  ListSource s;
  Actor counter;
  counter.kind = Actor::Kind::kStaff;
  counter.role = Role::kCounter;
  CatalogImporter importer(lib.store(), env, counter, {});
  auto r = importer.Import(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST_F(CatalogImport, OneBadRecordDoesNotSinkItsBatch) {
  lib.Write([](SqlTx& tx) {
    tx.Exec(
        "CREATE TEMP TRIGGER poison BEFORE INSERT ON bibs WHEN NEW.title = 'Poison' "
        "BEGIN SELECT RAISE(ABORT, 'poisoned record'); END");
  });
  ListSource s;
  s.Add(Record("(X)1", "One"));
  s.Add(Record("(X)2", "Poison"));
  s.Add(Record("(X)3", "Three"));
  auto sum = Import(s);
  EXPECT_EQ(sum.bibs_created, 2);
  EXPECT_EQ(sum.refused, 1);
  ASSERT_EQ(sum.problems.size(), 1u);
  EXPECT_EQ(sum.problems[0].position, "test record (X)2");
  EXPECT_NE(sum.problems[0].reason.find("poisoned record"), std::string::npos) << sum.problems[0].reason;
}

TEST_F(CatalogImport, JournalsEveryChangeInItsTransaction) {
  auto before = Count("SELECT COALESCE(MAX(seq), 0) FROM catalog_changes");
  ListSource s;
  s.Add(Record("(X)1", "One", {Copy("J1", "A")}));
  Import(s);
  auto id = Count("SELECT id FROM bibs WHERE record_key = '(X)1'");
  auto after_create = Count("SELECT seq FROM catalog_changes WHERE bib_id = " + std::to_string(id));
  EXPECT_GT(after_create, before);
  // A copy changing branch is a change of its record too.
  lib.Write([](SqlTx& tx) { tx.Exec("UPDATE items SET branch = 'B' WHERE barcode = 'J1'"); });
  EXPECT_GT(Count("SELECT seq FROM catalog_changes WHERE bib_id = " + std::to_string(id)), after_create);
  // An unchanged re-import writes nothing, so it journals nothing.
  auto seq = Count("SELECT MAX(seq) FROM catalog_changes");
  ListSource same;
  same.Add(Record("(X)1", "One", {Copy("J1", "B")}));
  auto sum = Import(same);
  EXPECT_EQ(sum.bibs_unchanged, 1);
  EXPECT_EQ(sum.items_unchanged, 1);
  EXPECT_EQ(Count("SELECT MAX(seq) FROM catalog_changes"), seq);
}

TEST_F(CatalogImport, FinishWritesOneAuditEntry) {
  ListSource s;
  s.Add(Record("(X)1", "One"));
  CatalogImporter importer(lib.store(), env, Actor::System("cli"), {});
  ASSERT_TRUE(importer.Import(s));
  importer.Finish({"one.mrc"});
  auto row = lib.Read([](SqlTx& tx) {
    return *tx.QueryOne("SELECT actor, subject, details FROM audit_log WHERE action = 'catalog.import'");
  });
  EXPECT_EQ(row.Text(0), "cli");
  EXPECT_EQ(row.Text(1), "catalog");
  EXPECT_NE(row.Text(2).find("\"bibs_created\":1"), std::string::npos) << row.Text(2);
  EXPECT_NE(row.Text(2).find("one.mrc"), std::string::npos);
  EXPECT_TRUE(lib.Read([](SqlTx& tx) { return VerifyAudit(tx).ok; }));
}

}  // namespace
}  // namespace bookstamp
