// Importing real MARC files into a real SQLite library, then searching them.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "app/app_test_support.hpp"
#include "app/catalog_import.hpp"
#include "app/search.hpp"
#include "marc/marc_source.hpp"
#include "marc/marc_test_support.hpp"
#include "search/xapian_catalog_index.hpp"

namespace bookstamp::marc {
namespace {

using bookstamp::testing::Library;
using testing::BuildRecord;
using testing::DataField;

class MarcImport : public ::testing::Test {
 protected:
  CatalogImportSummary ImportFiles(const std::vector<std::filesystem::path>& files) {
    CatalogImportOptions o;
    o.create_branches = true;
    CatalogImporter importer(lib.store(), env, Actor::System("test"), o);
    std::vector<std::string> names;
    for (const auto& f : files) {
      MarcSource source(MarcReader::OpenFile(f.string()));
      EXPECT_TRUE(importer.Import(source));
      names.push_back(f.filename().string());
    }
    importer.Finish(names);
    return importer.summary();
  }
  CatalogImportSummary ImportBytes(std::string bytes, const std::string& name) {
    CatalogImporter importer(lib.store(), env, Actor::System("test"), {});
    MarcSource source(MarcReader::FromMemory(std::move(bytes), name));
    EXPECT_TRUE(importer.Import(source));
    return importer.summary();
  }
  std::int64_t Count(const std::string& sql) {
    return lib.Read([&](SqlTx& tx) { return tx.QueryOne(sql)->Int(0); });
  }
  SearchPage Find(CatalogQuery q) {
    CatchUpCatalogIndex(lib.store(), index, 5000);
    SearchRequest r;
    r.query = std::move(q);
    return *lib.Read([&](SqlTx& tx) { return SearchCatalog(tx, lib.env(), index, r); });
  }

  Library lib;
  Env env = lib.env();
  bookstamp::testing::TempDir dir;
  search::XapianCatalogIndex index{dir.File("search")};
};

void ExpectEveryRecordAccountedFor(const CatalogImportSummary& s) {
  EXPECT_EQ(s.records, s.bibs_created + s.bibs_updated + s.bibs_unchanged + s.refused + s.ignored);
}

TEST_F(MarcImport, ImportsTheProjectsOwnMarcFiles) {
  auto files = testing::MarcFiles(testing::TestData());
  ASSERT_EQ(files.size(), 6u);
  auto s = ImportFiles(files);
  ExpectEveryRecordAccountedFor(s);
  // 2000 + 76 + 56 + 52 records, the 76 specTestRecs three times (UTF-8, MARC-8, MARCXML).
  EXPECT_EQ(s.records, 2000 + 76 * 3 + 56 + 52);
  for (const auto& p : s.problems) ADD_FAILURE() << p.position << ": " << p.reason;
  EXPECT_EQ(s.refused, 0);
  // The copies of specTestRecs, uva's overlap with misc, FOLIO's duplicates: updates, not new records.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bibs"), s.bibs_created);
  EXPECT_LT(s.bibs_created, s.records - 76 * 2);
  EXPECT_GT(s.items_created, 1000);  // UVA's 999 copies
  EXPECT_GE(Count("SELECT COUNT(*) FROM bibs WHERE title_vernacular <> ''"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.import'"), 1);

  // A second import of the same files changes nothing.
  auto again = ImportFiles(files);
  EXPECT_EQ(again.bibs_created, 0);
  EXPECT_EQ(again.items_created, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bibs"), s.bibs_created);
}

TEST_F(MarcImport, ImportsEverySharedMarcFile) {
  auto files = testing::MarcFiles(testing::SharedMarc());
  if (files.empty()) GTEST_SKIP() << "no MARC files at " << testing::SharedMarc() << " (a clone outside the workplace)";
  auto marc8 = testing::MarcFiles(testing::SharedMarc() / "marc8");
  files.insert(files.end(), marc8.begin(), marc8.end());
  auto started = std::chrono::steady_clock::now();
  auto s = ImportFiles(files);
  auto import_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  ExpectEveryRecordAccountedFor(s);
  for (const auto& p : s.problems) ADD_FAILURE() << p.position << ": " << p.reason;
  EXPECT_EQ(s.ignored, 1066);  // the Dutch authority file
  for (const auto& n : s.notes) EXPECT_NE(n.position.find("auth-1066"), std::string::npos) << n.position;
  EXPECT_GT(s.bibs_created, 4000);

  started = std::chrono::steady_clock::now();
  auto caught = CatchUpCatalogIndex(lib.store(), index, 1000);
  auto index_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(caught.indexed, s.bibs_created);
  RecordProperty("records", static_cast<int>(s.records));
  RecordProperty("import_ms", static_cast<int>(import_ms.count()));
  RecordProperty("index_ms", static_cast<int>(index_ms.count()));
  std::cout << "[ timing   ] " << s.records << " records imported in " << import_ms.count() << " ms, " << caught.indexed
            << " indexed in " << index_ms.count() << " ms\n";

  // The Chinese records of the concerto set (880) answer 2-character queries in either script.
  started = std::chrono::steady_clock::now();
  auto han = Find({.q = "中国"});
  auto han_t = Find({.q = "中國"});
  auto query_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  std::cout << "[ timing   ] two CJK searches with facets and holdings: " << query_us.count() << " us\n";
  EXPECT_GT(han.total, 0);
  EXPECT_EQ(han.total, han_t.total);
  // Music, French, Russian: the other scripts and folds.
  EXPECT_GT(Find({.q = "jazz"}).total, 100);
  EXPECT_GT(Find({.q = "Москва"}).total, 0);
  EXPECT_GT(Find({.q = "legendes"}).total, 0);  // légendes, from MARC-8
}

TEST_F(MarcImport, RefusesBrokenRecordsOneByOne) {
  auto good = [](const std::string& id, const std::string& title) {
    return BuildRecord({{"001", id}, {"245", DataField("10", "$a" + title)}});
  };
  std::vector<std::string> records{
      good("1", "Good one"),
      "0x123nam a2200049 a 4500" + good("2", "x").substr(24),  // broken leader
      good("3", "Good three"),
      BuildRecord({{"001", "4"}, {"245", DataField("1\x01", "$aBad indicators")}}),
      BuildRecord({{"001", "5"},
                   {"245", DataField("10",
                                     "$aBad \xE2"
                                     "encoding")}}),
      good("6", "Good six"),
      BuildRecord({{"001", "7"}, {"100", DataField("1 ", "$aNo title")}}),
      BuildRecord({{"001", "8"}, {"100", DataField("1 ", "$aAuthority")}}, "nz  a22"),
  };
  auto broken_dir = good("9", "Broken directory");
  broken_dir.replace(24 + 3 + 4, 5, "99999");  // the first field starts past the end
  records.push_back(broken_dir);
  records.push_back(good("10", "Good ten"));
  std::string file;
  std::vector<std::size_t> offsets;
  for (const auto& r : records) {
    offsets.push_back(file.size());
    file += r;
  }
  auto s = ImportBytes(file, "broken.mrc");
  EXPECT_EQ(s.records, 10);
  EXPECT_EQ(s.bibs_created, 4);
  EXPECT_EQ(s.ignored, 1);
  ASSERT_EQ(s.refused, 5);
  struct Want {
    std::size_t record;
    const char* reason;
  };
  std::vector<Want> want{{2, "leader: record length '0x123' is not five digits"},
                         {4, "field 245: bad indicators '1' 0x01"},
                         {5, "field 245: invalid UTF-8 at byte 8 of the field"},
                         {7, "no title (245 $a)"},
                         {9, "directory entry 1 (tag 001): field runs past the end of the record"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(s.problems[i].position,
              fmt::format("broken.mrc record {} (byte {})", want[i].record, offsets[want[i].record - 1]));
    EXPECT_EQ(s.problems[i].reason, want[i].reason);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bibs"), 4);
}

}  // namespace
}  // namespace bookstamp::marc
