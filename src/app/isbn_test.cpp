#include "app/isbn.hpp"

#include <gtest/gtest.h>

namespace bookstamp::isbn {
namespace {

TEST(Isbn, CleansWhatCataloguersWrite) {
  struct Row {
    const char* in;
    const char* out;
  };
  for (const auto& row : std::vector<Row>{{"0-306-40615-2", "0306406152"},
                                          {"0306406152 (pbk.)", "0306406152"},
                                          {"978-0-306-40615-7 : $25.00", "9780306406157"},
                                          {"080442957x", "080442957X"},
                                          {"0 306 40615 2", "0306406152"},
                                          {"12345", ""},
                                          {"rub 1.60", ""},
                                          {"97803064061571", ""}}) {
    SCOPED_TRACE(row.in);
    EXPECT_EQ(Clean(row.in), row.out);
  }
}

TEST(Isbn, ChecksCheckDigits) {
  EXPECT_TRUE(Valid("0306406152"));
  EXPECT_FALSE(Valid("0306406153"));
  EXPECT_TRUE(Valid("080442957X"));
  EXPECT_TRUE(Valid("9780306406157"));
  EXPECT_FALSE(Valid("9780306406158"));
  EXPECT_FALSE(Valid("1234567890123"));  // not a 978/979 prefix
}

TEST(Isbn, TurnsIsbn10IntoIsbn13) {
  EXPECT_EQ(To13("0-306-40615-2"), "9780306406157");
  EXPECT_EQ(To13("080442957X"), "9780804429573");
  EXPECT_EQ(To13("9789573317241"), "9789573317241");
  EXPECT_EQ(To13("0306406153"), std::nullopt);
}

TEST(Isbn, SearchFormsHoldTheWrittenFormAndIsbn13) {
  EXPECT_EQ(SearchForms("0-306-40615-2"), (std::vector<std::string>{"0306406152", "9780306406157"}));
  EXPECT_EQ(SearchForms("9780306406157"), (std::vector<std::string>{"9780306406157"}));
  EXPECT_EQ(SearchForms("0306406153"),
            (std::vector<std::string>{"0306406153"}));  // a wrong check digit stays findable as written
  EXPECT_TRUE(SearchForms("n/a").empty());
}

}  // namespace
}  // namespace bookstamp::isbn
