#include "marc/iso2709.hpp"

#include <gtest/gtest.h>

#include "marc/marc_test_support.hpp"

namespace bookstamp::marc {
namespace {

using testing::BuildRecord;
using testing::DataField;

std::string Good() {
  return BuildRecord({{"001", "u42"},
                      {"008", "970701s1906    fr           u000 0 fre u"},
                      {"245", DataField("10", "$aL'autre monde :$ble purgatoire.")}});
}

std::expected<Record, std::string> Read(const std::string& bytes) {
  auto raw = ParseIso2709(bytes);
  if (!raw) return std::unexpected(raw.error());
  Marc8Decoder m;
  NfcNormalizer n;
  return DecodeRecord(*raw, DetectEncoding(*raw), m, n);
}

TEST(Iso2709, ReadsLeaderControlAndDataFields) {
  auto r = Read(Good());
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->leader.substr(5, 4), "nam ");
  ASSERT_EQ(r->fields.size(), 3u);
  EXPECT_EQ(r->fields[0].data, "u42");
  const auto* f = r->First("245");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->ind1, '1');
  EXPECT_EQ(f->ind2, '0');
  EXPECT_EQ(f->Sub('a'), "L'autre monde :");
  EXPECT_EQ(f->Sub('b'), "le purgatoire.");
}

TEST(Iso2709, RefusesBrokenStructureWithTheReason) {
  struct Row {
    const char* name;
    std::string bytes;
    const char* reason;
  };
  auto good = Good();
  auto with = [&](std::size_t at, const std::string& s) {
    auto b = good;
    b.replace(at, s.size(), s);
    return b;
  };
  auto base = std::stoul(good.substr(12, 5));
  std::vector<Row> rows{
      {"record length not digits", with(0, "0x123"), "leader: record length '0x123' is not five digits"},
      {"record length wrong", with(0, "00099"), "leader: record length 99 but the record terminator comes after"},
      {"base address not digits", with(12, "  abc"), "leader: base address '  abc' is not five digits"},
      {"base address past the end", with(12, "99999"), "leader: base address 99999 is outside the record"},
      {"directory entry with a bad tag", with(24, "2#5"),
       "directory entry 1: tag '2#5' is not three letters or digits"},
      {"field runs past the end", with(24 + 3, "9999"), "directory entry 1 (tag 001): field runs past the end"},
      {"field without its terminator", with(24 + 3, "0003"), "directory entry 1 (tag 001): field does not end"},
      {"directory not ending at base", with(base - 1, "x"), "directory: does not end with a field terminator"},
      {"no record terminator", good.substr(0, good.size() - 1) + " ", "record does not end with a record terminator"},
      {"shorter than a leader", "00010nam\x1D", "shorter than a leader"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto r = ParseIso2709(row.bytes);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find(row.reason), std::string::npos) << r.error();
  }
}

TEST(Iso2709, RefusesAWholeDirectoryThatIsNotTwelveByteEntries) {
  auto bytes = BuildRecord({{"245", DataField("10", "$aTitle")}});
  // Move the base address one byte on: the directory now has 13 bytes.
  auto base = std::stoul(bytes.substr(12, 5));
  bytes.insert(base - 1, "0");
  bytes.replace(0, 5, fmt::format("{:05}", bytes.size()));
  bytes.replace(12, 5, fmt::format("{:05}", base + 1));
  auto r = ParseIso2709(bytes);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("not a whole number of 12-byte entries"), std::string::npos) << r.error();
}

TEST(Iso2709, RefusesBadIndicators) {
  for (std::string ind : {std::string("1\x01"),
                          std::string("\x1F"
                                      "0"),
                          std::string("1A"), std::string("\xC3\xA9")}) {
    SCOPED_TRACE(ind);
    auto r = Read(BuildRecord({{"245", DataField(ind, "$aTitle")}}));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("field 245: bad indicators"), std::string::npos) << r.error();
  }
}

TEST(Iso2709, ReadsBlankIndicatorsWrittenAsHashOrUnderscore) {
  auto r = Read(BuildRecord({{"260", DataField("##", "$aParis")}, {"710", DataField("2_", "$aUMI")}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->fields[0].ind1, ' ');
  EXPECT_EQ(r->fields[1].ind2, ' ');
}

TEST(Iso2709, AcceptsAnyPrintableIndicatorInLocalFields) {
  auto r = Read(BuildRecord({{"245", DataField("10", "$aT")}, {"949", DataField("1L", "$aLP 8344")}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->fields[1].ind2, 'L');
}

TEST(Iso2709, SkipsBlanksBeforeASubfieldCode) {
  auto r = Read(BuildRecord({{"020", DataField("  ", "$ a1591403715 (electronic bk.)")}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->fields[0].Sub('a'), "1591403715 (electronic bk.)");
}

TEST(Iso2709, RefusesDataWithoutASubfieldDelimiter) {
  auto r = Read(BuildRecord({{"245", "10Title"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "field 245: data does not start with a subfield delimiter");
}

TEST(Iso2709, RefusesInvalidUtf8InAUtf8Record) {
  auto r = Read(BuildRecord({{"245", DataField("10",
                                               "$aF\xE2"
                                               "enelon")}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "field 245: invalid UTF-8 at byte 5 of the field");
}

TEST(Iso2709, RefusesInvalidMarc8) {
  auto r = Read(BuildRecord({{"245", DataField("10", "$a\x1B(Zxx\xE2")}}, "nam  22"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "field 245: invalid MARC-8");
}

TEST(Iso2709, DecodesMarc8AndComposes) {
  auto r = Read(BuildRecord({{"100", DataField("1 ",
                                               "$aF\xE2"
                                               "enelon")}},
                            "nam  22"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->fields[0].Sub('a'), "F\xC3\xA9nelon");
  EXPECT_EQ(r->leader[9], ' ');
}

TEST(Iso2709, ReadsUtf8DespiteAMarc8Leader) {
  // What Evergreen's FSL and map_data files do: leader/09 blank, text in UTF-8.
  auto bytes = BuildRecord({{"245", DataField("10", "$a\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0")}}, "nam  22");
  auto raw = ParseIso2709(bytes);
  ASSERT_TRUE(raw);
  EXPECT_EQ(DetectEncoding(*raw), Encoding::kUtf8);
  auto r =
      Read(BuildRecord({{"245", DataField("10", "$a\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0")}}, "nam  22"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->fields[0].Sub('a'), "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");  // Москва
}

TEST(Iso2709, TrustsALeaderSayingMarc8WhenTheBytesAreNotUtf8) {
  auto bytes = BuildRecord({{"245", DataField("10",
                                              "$aF\xE2"
                                              "enelon")}},
                           "nam  22");
  auto raw = ParseIso2709(bytes);
  ASSERT_TRUE(raw);
  EXPECT_EQ(DetectEncoding(*raw), Encoding::kMarc8);
}

TEST(Iso2709, DropsEmptyDataFields) {
  auto r = Read(BuildRecord({{"245", DataField("10", "$aT")}, {"500", "  "}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->fields.size(), 1u);
}

TEST(CheckRecord, RefusesAShortLeaderAndBadSubfieldCodes) {
  NfcNormalizer n;
  Record r;
  r.leader = "00000nam";
  EXPECT_EQ(CheckRecord(r, n).error(), "leader: 8 characters, expected 24");
  r.leader = "00000nam a2200000 a 4500";
  Field f;
  f.tag = "245";
  f.subfields.push_back({'\x01', "x"});
  r.fields.push_back(f);
  EXPECT_EQ(CheckRecord(r, n).error(), "field 245: bad subfield code 0x01");
}

}  // namespace
}  // namespace bookstamp::marc
