#include "marc/marc_reader.hpp"

#include <gtest/gtest.h>
#include <yaz/marcdisp.h>
#include <yaz/wrbuf.h>

#include <fstream>
#include <sstream>

#include "marc/marc_test_support.hpp"

namespace bookstamp::marc {
namespace {

using testing::BuildRecord;
using testing::DataField;
using testing::TestData;

std::string Titled(const std::string& title) {
  return BuildRecord({{"001", "id-" + title}, {"245", DataField("10", "$a" + title)}});
}

std::vector<ReadEntry> ReadAll(MarcReader& r) {
  std::vector<ReadEntry> out;
  while (auto e = r.Next()) out.push_back(std::move(*e));
  return out;
}

TEST(MarcReader, RefusesABrokenRecordAndGoesOn) {
  auto first = Titled("One"), second = Titled("Two"), third = Titled("Three");
  second.replace(24, 3, "2#5");  // a broken directory
  auto reader = MarcReader::FromMemory(first + second + third, "mixed.mrc");
  auto entries = ReadAll(*reader);
  ASSERT_EQ(entries.size(), 3u);
  ASSERT_TRUE(entries[0].record);
  EXPECT_EQ(entries[0].record->First("245")->Sub('a'), "One");
  EXPECT_FALSE(entries[1].record);
  EXPECT_EQ(reader->Position(entries[1]), fmt::format("mixed.mrc record 2 (byte {})", first.size()));
  EXPECT_EQ(entries[1].problem, "directory entry 1: tag '2#5' is not three letters or digits");
  ASSERT_TRUE(entries[2].record);
  EXPECT_EQ(entries[2].record->First("245")->Sub('a'), "Three");
  EXPECT_EQ(reader->BytesRead(), reader->BytesTotal());
}

TEST(MarcReader, SkipsNewLinesBetweenRecords) {
  auto reader = MarcReader::FromMemory(Titled("One") + "\r\n" + Titled("Two") + "\n\x1A", "lines.mrc");
  auto entries = ReadAll(*reader);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[0].record && entries[1].record);
}

TEST(MarcReader, ReportsATruncatedLastRecord) {
  auto whole = Titled("One"), cut = Titled("Two");
  cut.resize(cut.size() - 10);
  auto reader = MarcReader::FromMemory(whole + cut, "cut.mrc");
  auto entries = ReadAll(*reader);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[0].record);
  EXPECT_FALSE(entries[1].record);
  EXPECT_NE(entries[1].problem.find("truncated record"), std::string::npos) << entries[1].problem;
}

TEST(MarcReader, RefusesARunWithoutTerminatorLongerThanAnyRecord) {
  std::string junk(150000, 'x');
  auto reader = MarcReader::FromMemory(junk + "\x1D" + Titled("After"), "junk.mrc");
  auto entries = ReadAll(*reader);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].problem, "no record terminator within 99999 bytes");
  ASSERT_TRUE(entries[1].record);
  EXPECT_EQ(entries[1].record->First("245")->Sub('a'), "After");
}

TEST(MarcReader, DetectsMarcXml) {
  EXPECT_EQ(DetectFormat("\xEF\xBB\xBF  <?xml version='1.0'?>"), Format::kMarcXml);
  EXPECT_EQ(DetectFormat("01046nam a22"), Format::kIso2709);
}

TEST(MarcReader, ReadsMarcXmlWithAnyPrefix) {
  auto xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">
  <marc:record>
    <marc:leader>00000nam  2200000 a 4500</marc:leader>
    <marc:controlfield tag="001">x1</marc:controlfield>
    <marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Fe&#x301;nelon</marc:subfield></marc:datafield>
  </marc:record>
  <marc:record>
    <marc:leader>00000nam  2200000 a 4500</marc:leader>
    <marc:datafield tag="245" ind1="1" ind2="AB"><marc:subfield code="a">Bad</marc:subfield></marc:datafield>
  </marc:record>
</marc:collection>)";
  auto reader = MarcReader::FromMemory(xml, "two.xml");
  EXPECT_EQ(reader->format(), Format::kMarcXml);
  auto entries = ReadAll(*reader);
  ASSERT_EQ(entries.size(), 2u);
  ASSERT_TRUE(entries[0].record) << entries[0].problem;
  EXPECT_EQ(entries[0].record->First("245")->Sub('a'), "F\xC3\xA9nelon");
  EXPECT_EQ(entries[0].record->leader[9], 'a');
  EXPECT_FALSE(entries[1].record);
  EXPECT_EQ(entries[1].problem, "field 245: bad indicators '1' 0x01");
  EXPECT_EQ(reader->Position(entries[1]), "two.xml record 2 (line 8)");
}

TEST(MarcReader, ReportsWhereMarcXmlStopsBeingWellFormed) {
  // libxml2 reads ahead in chunks: the records well before the error arrive, then the error.
  std::string xml = "<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n";
  for (int i = 0; i < 30; ++i)
    xml +=
        R"(<record><leader>00000nam  2200000 a 4500</leader><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Fine</subfield></datafield></record>)"
        "\n";
  xml +=
      R"(<record><leader>00000nam  2200000 a 4500</leader><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Broken</datafield></record>)"
      "\n</collection>";
  auto reader = MarcReader::FromMemory(xml, "broken.xml");
  auto entries = ReadAll(*reader);
  ASSERT_GE(entries.size(), 2u);
  ASSERT_TRUE(entries[0].record);
  EXPECT_EQ(entries[0].record->First("245")->Sub('a'), "Fine");
  EXPECT_FALSE(entries.back().record);
  EXPECT_NE(entries.back().problem.find("XML error"), std::string::npos) << entries.back().problem;
  EXPECT_NE(entries.back().problem.find("line 32"), std::string::npos) << entries.back().problem;
  for (std::size_t i = 0; i + 1 < entries.size(); ++i) EXPECT_TRUE(entries[i].record);
}

// The same 76 records as MARC-8, UTF-8 and MARCXML read to the same text.
TEST(MarcReader, Marc8Utf8AndMarcXmlCopiesReadTheSame) {
  auto marc8 = MarcReader::OpenFile((TestData() / "github-solrmarc-specTestRecs-marc8.mrc").string());
  auto utf8 = MarcReader::OpenFile((TestData() / "github-solrmarc-specTestRecs.mrc").string());
  auto xml = MarcReader::OpenFile((TestData() / "github-solrmarc-specTestRecs.xml").string());
  auto a = ReadAll(*marc8), b = ReadAll(*utf8), c = ReadAll(*xml);
  ASSERT_EQ(a.size(), 76u);
  ASSERT_EQ(b.size(), 76u);
  ASSERT_EQ(c.size(), 76u);
  int compared = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i + 1);
    ASSERT_TRUE(a[i].record) << a[i].problem;
    ASSERT_TRUE(b[i].record) << b[i].problem;
    ASSERT_TRUE(c[i].record) << c[i].problem;
    ASSERT_EQ(a[i].record->fields.size(), b[i].record->fields.size());
    for (std::size_t f = 0; f < a[i].record->fields.size(); ++f) {
      const auto &x = a[i].record->fields[f], &y = b[i].record->fields[f], &z = c[i].record->fields[f];
      EXPECT_EQ(x.tag, y.tag);
      EXPECT_EQ(y.tag, z.tag);
      if (x.tag == "005") continue;  // the conversion upstream stamped a new time
      EXPECT_EQ(x.data, y.data);
      EXPECT_EQ(y.data, z.data);
      ASSERT_EQ(x.subfields.size(), y.subfields.size()) << x.tag;
      for (std::size_t s = 0; s < x.subfields.size(); ++s) {
        EXPECT_EQ(x.subfields[s].value, y.subfields[s].value) << x.tag;
        EXPECT_EQ(y.subfields[s].value, z.subfields[s].value) << x.tag;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

// Our ISO 2709 reading agrees with YAZ's on every record of a real file.
TEST(MarcReader, AgreesWithYazOnRealRecords) {
  auto path = TestData() / "github-solrmarc-uva_001_2000.mrc";
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto reader = MarcReader::FromMemory(bytes, "uva.mrc");
  yaz_marc_t mt = yaz_marc_create();
  yaz_marc_xml(mt, YAZ_MARC_LINE);
  WRBUF w = wrbuf_alloc();
  std::size_t pos = 0, n = 0;
  while (auto e = reader->Next()) {
    ASSERT_TRUE(e->record) << reader->Position(*e) << ": " << e->problem;
    wrbuf_rewind(w);
    int len = yaz_marc_decode_wrbuf(mt, bytes.data() + pos, static_cast<int>(bytes.size() - pos), w);
    ASSERT_GT(len, 0) << "YAZ refuses record " << e->index;
    pos += static_cast<std::size_t>(len);
    // Line format: the leader, one line per field, a blank line.
    std::string text(wrbuf_buf(w), wrbuf_len(w));
    auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    EXPECT_EQ(e->record->fields.size(), lines - 2) << "record " << e->index;
    ++n;
  }
  wrbuf_destroy(w);
  yaz_marc_destroy(mt);
  EXPECT_EQ(n, 2000u);
}

}  // namespace
}  // namespace bookstamp::marc
