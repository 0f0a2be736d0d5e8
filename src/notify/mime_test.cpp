// RFC 2047 words, base64 bodies, MIME structure, stable Message-IDs.
#include "notify/mime.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace bookstamp::notify {
namespace {

std::string FromBase64(const std::string& s) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : s) {
    auto p = kAlphabet.find(c);
    if (p == std::string::npos) continue;
    v = (v << 6) | static_cast<unsigned>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xFF);
    }
  }
  return out;
}

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
}

TEST(Base64, BreaksLinesAtTheGivenWidth) {
  std::string out = Base64(std::string(100, 'x'), 76);
  auto crlf = out.find("\r\n");
  ASSERT_EQ(crlf, 76u);
  EXPECT_EQ(FromBase64(out), std::string(100, 'x'));
}

TEST(EncodeHeaderWord, LeavesPrintableAsciiAlone) { EXPECT_EQ(EncodeHeaderWord("Your hold is ready"), "Your hold is ready"); }

TEST(EncodeHeaderWord, EncodesUtf8AsOneBWord) {
  EXPECT_EQ(EncodeHeaderWord("兌換完成：拼圖"), "=?UTF-8?B?5YWM5o+b5a6M5oiQ77ya5ou85ZyW?=");
}

TEST(EncodeHeaderWord, SplitsLongSubjectsAtCharacterBoundaries) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "借閱";
  std::string encoded = EncodeHeaderWord(subject);
  std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
  std::string joined;
  int words = 0;
  for (auto it = std::sregex_iterator(encoded.begin(), encoded.end(), word); it != std::sregex_iterator(); ++it) {
    EXPECT_LE(it->str().size(), 75u);
    std::string part = FromBase64((*it)[1].str());
    EXPECT_EQ(part.size() % 3, 0u) << "a word must hold whole 3-byte characters";
    joined += part;
    ++words;
  }
  EXPECT_GT(words, 1);
  EXPECT_EQ(joined, subject);
  EXPECT_NE(encoded.find("\r\n "), std::string::npos) << "words are folded onto continuation lines";
}

TEST(NoticeMessageId, IsStablePerNoticeAndKey) {
  auto a = NoticeMessageId(42, "key", "lib.example");
  EXPECT_EQ(a, NoticeMessageId(42, "key", "lib.example"));
  EXPECT_NE(a, NoticeMessageId(43, "key", "lib.example"));
  EXPECT_NE(a, NoticeMessageId(42, "other key", "lib.example"));
  EXPECT_TRUE(std::regex_match(a, std::regex(R"(<notice-42\.[0-9a-f]{16}@lib\.example>)"))) << a;
}

TEST(AddressDomain, TakesThePartAfterTheAt) {
  EXPECT_EQ(AddressDomain("library@city.gov.tw"), "city.gov.tw");
  EXPECT_EQ(AddressDomain("nobody"), "localhost");
}

TEST(MailDate, IsRfc5322) {
  EXPECT_EQ(MailDate(FromMillis(1764455624000)), "Sat, 29 Nov 2025 22:33:44 +0000");
}

TEST(BuildMime, QuotesAnAsciiDisplayName) {
  MailMessage m{"reader@example.org", "<n@x>", "Hi", "a", "b"};
  auto mime = BuildMime(m, "library@lib.example", "City Library, Main \"Branch\"", FromMillis(0));
  EXPECT_NE(mime.find("From: \"City Library, Main \\\"Branch\\\"\" <library@lib.example>\r\n"), std::string::npos) << mime;
}

TEST(BuildMime, MakesMultipartAlternativeWithBase64Utf8Parts) {
  MailMessage m{"reader@example.org", "<notice-1.ab@lib.example>", "兌換完成：拼圖", "剩餘點數：40 點",
                "<p>剩餘點數：40 點</p>"};
  std::string mime = BuildMime(m, "library@lib.example", "市立圖書館", FromMillis(1764455624000));
  EXPECT_NE(mime.find("Subject: =?UTF-8?B?5YWM5o+b5a6M5oiQ77ya5ou85ZyW?=\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Message-ID: <notice-1.ab@lib.example>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("To: <reader@example.org>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mime.find("MIME-Version: 1.0\r\n"), std::string::npos);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(mime, match, std::regex("boundary=\"([^\"]+)\"")));
  const std::string boundary = match[1];
  auto plain = mime.find("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  auto html = mime.find("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  ASSERT_NE(plain, std::string::npos);
  ASSERT_NE(html, std::string::npos);
  EXPECT_LT(plain, html) << "the preferred (HTML) part comes last";
  EXPECT_NE(mime.find("--" + boundary + "--\r\n"), std::string::npos);
  EXPECT_NE(mime.find(Base64("剩餘點數：40 點", 76)), std::string::npos);
  for (unsigned char c : mime) EXPECT_LT(c, 0x80) << "the message is 7-bit clean";
  EXPECT_EQ(mime, BuildMime(m, "library@lib.example", "市立圖書館", FromMillis(1764455624000)))
      << "a resend carries the same bytes";
}

}  // namespace
}  // namespace bookstamp::notify
