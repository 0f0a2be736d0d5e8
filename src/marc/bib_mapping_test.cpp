#include "marc/bib_mapping.hpp"

#include <gtest/gtest.h>

#include "marc/iso2709.hpp"
#include "marc/marc_test_support.hpp"

namespace bookstamp::marc {
namespace {

using testing::BuildRecord;
using testing::DataField;

Record Parse(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& tail = "nam a22") {
  auto bytes = BuildRecord(fields, tail);  // the parsed views point into it
  auto raw = ParseIso2709(bytes);
  EXPECT_TRUE(raw) << raw.error();
  Marc8Decoder m;
  NfcNormalizer n;
  auto r = DecodeRecord(*raw, DetectEncoding(*raw), m, n);
  EXPECT_TRUE(r) << r.error();
  return *r;
}

CatalogRecord Map(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& tail = "nam a22") {
  auto r = ToCatalogRecord(Parse(fields, tail));
  EXPECT_TRUE(r) << r.error();
  return *r;
}

TEST(TrimPunctuation, DropsIsbdPunctuationAtTheEnd) {
  struct Row {
    const char* in;
    const char* out;
  };
  for (const auto& row : std::vector<Row>{{"L'autre monde :", "L'autre monde"},
                                          {"Paris.", "Paris"},
                                          {"Champion,", "Champion"},
                                          {"Title /", "Title"},
                                          {"Smith, John B.", "Smith, John B."},
                                          {"And then...", "And then..."},
                                          {"  spaced  ", "spaced"},
                                          {"Fénelon, 1651-1715.", "Fénelon, 1651-1715"}}) {
    SCOPED_TRACE(row.in);
    EXPECT_EQ(TrimPunctuation(row.in), row.out);
  }
}

TEST(MostlyNonLatin, TellsScriptsApart) {
  EXPECT_TRUE(MostlyNonLatin("北京妇女发展报告"));
  EXPECT_TRUE(MostlyNonLatin("बिहानी टुसा"));
  EXPECT_TRUE(MostlyNonLatin("Москва"));
  EXPECT_FALSE(MostlyNonLatin("Bihānī Ṭusā"));
  EXPECT_FALSE(MostlyNonLatin("1995-2005"));
}

TEST(BibMapping, MapsTheDescriptiveFields) {
  auto c = Map({{"001", "12345"},
                {"003", "OCoLC"},
                {"008", "970701s1906    fr           u000 0 fre u"},
                {"020", DataField("  ", "$a0-306-40615-2 (pbk.)$c$25")},
                {"020", DataField("  ", "$a9780306406157")},
                {"082", DataField("04", "$a863/.62$222")},
                {"100", DataField("1 ", "$aFénelon, François de Salignac de La Mothe-,$d1651-1715.")},
                {"245", DataField("12", "$aL'autre monde :$bmythes et légendes /$cPhilippe de Félice.")},
                {"260", DataField("  ", "$aParis :$bChampion,$c1906.")},
                {"490", DataField("1 ", "$aBibliothèque de l'École ;$v12")},
                {"650", DataField(" 0", "$aPurgatory$xHistory$yMiddle Ages, 600-1500.")},
                {"650", DataField(" 0", "$aPurgatory$xHistory$yMiddle Ages, 600-1500.")},
                {"856", DataField("42", "$3Cover image$uhttps://covers.example/1.jpg")}});
  EXPECT_EQ(c.record_key, "(OCoLC)12345");
  EXPECT_EQ(c.bib.title, "L'autre monde : mythes et légendes");
  EXPECT_EQ(c.bib.author, "Fénelon, François de Salignac de La Mothe-, 1651-1715");
  EXPECT_EQ(c.bib.publisher, "Champion");
  EXPECT_EQ(c.bib.year, 1906);
  EXPECT_EQ(c.language, "fre");
  EXPECT_EQ(c.bib.isbn, "0306406152");
  EXPECT_EQ(c.isbns, (std::vector<std::string>{"0306406152", "9780306406157"}));
  EXPECT_EQ(c.bib.class_no, "863.62");
  EXPECT_EQ(c.series, std::vector<std::string>{"Bibliothèque de l'École"});
  EXPECT_EQ(c.subjects, std::vector<std::string>{"Purgatory -- History -- Middle Ages, 600-1500"});
  EXPECT_EQ(c.cover_url, "https://covers.example/1.jpg");
  EXPECT_TRUE(c.bib.items.empty());
}

TEST(BibMapping, ReadsThePublisherFrom264BeforeAnything) {
  auto c = Map({{"245", DataField("00", "$aT")},
                {"264", DataField(" 0", "$bProducer")},
                {"264", DataField(" 1", "$aTaipei :$bYuan-Liou,$c2019.")}});
  EXPECT_EQ(c.bib.publisher, "Yuan-Liou");
  EXPECT_EQ(c.bib.year, 2019);
}

TEST(BibMapping, TakesTheYearFromTheImprintWhen008IsCollapsed) {
  // Evergreen's concerto records lost the blanks of their 008: its positions cannot be trusted.
  auto c = Map({{"008", "970701s1906 fr u000 0 fre u"},
                {"245", DataField("00", "$aT")},
                {"260", DataField("  ", "$c[c1998?]")},
                {"041", DataField("0 ", "$aCHIeng")}});
  EXPECT_EQ(c.bib.year, 1998);
  EXPECT_EQ(c.language, "chi");
}

TEST(BibMapping, Reads880VernacularFields) {
  auto c = Map(
      {{"001", "testChinese2"},
       {"110", DataField("2 ", "$6880-01$aBeijing Shi fu nü lian he hui.")},
       {"880", DataField("2 ", "$6110-01/$1$a北京市妇女联合会.")},
       {"245",
        DataField("10", "$6880-02$aBeijing fu nü fa zhan bao gao, 1995-2005 =$bBeijing funü fazhan baogao /$cBian.")},
       {"880", DataField("10", "$6245-02/$1$a北京妇女发展报告,1995-2005 =$bBeijing funü fazhan baogao /$c编.")},
       {"260", DataField("  ", "$6880-04$aBeijing :$bZhongguo fu nü chu ban she,$c2006.")},
       {"880", DataField("  ", "$6260-04/$1$a北京 :$b中国妇女出版社,$c2006.")},
       {"490", DataField("0 ", "$6880-05$aCong shu")},
       {"880", DataField("0 ", "$6490-05/$1$a丛书")}});
  EXPECT_EQ(c.record_key, "ctl:testChinese2");
  EXPECT_EQ(c.bib.title, "Beijing fu nü fa zhan bao gao, 1995-2005 = Beijing funü fazhan baogao");
  EXPECT_EQ(c.title_vernacular, "北京妇女发展报告,1995-2005 = Beijing funü fazhan baogao");
  EXPECT_EQ(c.bib.author, "Beijing Shi fu nü lian he hui");
  EXPECT_EQ(c.author_vernacular, "北京市妇女联合会");
  EXPECT_EQ(c.bib.publisher, "Zhongguo fu nü chu ban she");
  EXPECT_EQ(c.publisher_vernacular, "中国妇女出版社");
  EXPECT_EQ(c.series, (std::vector<std::string>{"Cong shu", "丛书"}));
}

TEST(BibMapping, SplitsDuplicated245IntoRomanizedAndOriginal) {
  // The Nepali records carry each field twice, Devanagari first.
  auto c = Map({{"100", DataField("1 ", "$aशाह, वीरेन्द्रविक्रम.")},
                {"100", DataField("1 ", "$aŚāha, Vīrendravikram.")},
                {"245", DataField("10", "$aबिहानी टुसा /$cलेखक.")},
                {"245", DataField("10", "$aBihānī Ṭusā /$cLekhaka.")}});
  EXPECT_EQ(c.bib.title, "Bihānī Ṭusā");
  EXPECT_EQ(c.title_vernacular, "बिहानी टुसा");
  EXPECT_EQ(c.bib.author, "Śāha, Vīrendravikram");
  EXPECT_EQ(c.author_vernacular, "शाह, वीरेन्द्रविक्रम");
}

TEST(BibMapping, ReadsCopiesFrom852952949And999) {
  auto c = Map({{"245", DataField("00", "$aT")},
                {"852", DataField("4 ", "$agaaagpl$bBR1$cStacks$jG4362 .C6$p2233444")},
                {"952", DataField("  ", "$0 0$10$aBC$bBC$o861.42 C955$p35609000970837$7 0$yLG")},
                {"952", DataField("  ", "$aBC$p999$71")},
                {"952", DataField("  ", "$aBC$p998$11")},
                {"999", DataField("  ", "$aGV1619 .R6 1984$wLC$iX001019384$lSTACKS$mIVY$tBOOK")},
                {"999", DataField("  ", "$aGV1619 .R6 1984$wLC$i1-3003$lLOST$mALDERMAN$tBOOK")},
                {"949", DataField("  ", "$aSomething local")},
                {"852", DataField("  ", "$aMadan Puraskar Pustakalaya$xAccession no.: 4900")}});
  ASSERT_EQ(c.bib.items.size(), 5u);
  EXPECT_EQ(c.bib.items[0].branch, "BR1");
  EXPECT_EQ(c.bib.items[0].barcode, "2233444");
  EXPECT_EQ(c.bib.items[0].call_number, "G4362 .C6");
  EXPECT_EQ(c.bib.items[1].branch, "BC");
  EXPECT_EQ(c.bib.items[1].barcode, "35609000970837");
  EXPECT_EQ(c.bib.items[1].call_number, "861.42 C955");
  EXPECT_TRUE(c.bib.items[1].loanable);
  EXPECT_EQ(c.bib.items[1].item_type, "lg");
  EXPECT_FALSE(c.bib.items[2].loanable);  // 952 $7 not for loan; the lost copy ($1) is left out
  EXPECT_EQ(c.bib.items[3].branch, "IVY");
  EXPECT_EQ(c.bib.items[3].barcode, "X001019384");
  EXPECT_EQ(c.bib.items[3].item_type, "book");
  EXPECT_EQ(c.bib.items[4].branch, "Madan Puraskar Pustakalaya");
  EXPECT_EQ(c.bib.items[4].barcode, "");  // no barcode: the import counts and skips it
}

TEST(BibMapping, KeysRecordsWithout001ByIsbnThenByContent) {
  auto by_isbn = Map({{"020", DataField("  ", "$a0306406152")}, {"245", DataField("00", "$aT")}});
  EXPECT_EQ(by_isbn.record_key, "isbn:9780306406157");
  auto by_content = Map({{"245", DataField("00", "$aT")}, {"100", DataField("1 ", "$aA")}});
  EXPECT_EQ(by_content.record_key.substr(0, 2), "h:");
  EXPECT_EQ(Map({{"245", DataField("00", "$aT")}, {"100", DataField("1 ", "$aA")}}).record_key, by_content.record_key);
}

TEST(BibMapping, RefusesARecordWithoutTitle) {
  auto r = ToCatalogRecord(Parse({{"100", DataField("1 ", "$aA")}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "no title (245 $a)");
}

TEST(BibMapping, IgnoresRecordsThatAreNotBibliographic) {
  EXPECT_EQ(NotBibliographic(Parse({{"100", DataField("1 ", "$aA")}}, "nz  a22")),
            "authority record (leader/06 'z'), not bibliographic");
  EXPECT_EQ(NotBibliographic(Parse({{"852", DataField("  ", "$bX")}}, "nx  a22")),
            "holdings record (leader/06 'x'), not bibliographic");
  EXPECT_FALSE(NotBibliographic(Parse({{"245", DataField("00", "$aT")}}, "njm a22")));
}

}  // namespace
}  // namespace bookstamp::marc
