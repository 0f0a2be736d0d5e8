// SIP2 codec: checksums, framing, field cleaning, charsets, and the saved transcripts round-trip.
#include "sip2/codec.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "sip2/transcript.hpp"

namespace bookstamp::sip2 {
namespace {

TEST(Sip2Checksum, IsTheTwosComplementOfTheByteSum) {
  // Hand-computed: the two's complement of the 16-bit byte sum.
  EXPECT_EQ(Checksum("09N19980821    085721                  APCertification Terminal Location|"
                     "AOCertification Institute ID|ABCheckInBook|ACTPWD|BIN|AY2AZ"),
            "D7A6");
  EXPECT_EQ(Checksum(""), "0000");
  EXPECT_EQ(Checksum("\x01"), "FFFF");
}

TEST(Sip2Parse, ReadsCodeFixedFieldsAndVariableFields) {
  auto m = ParseRequest("9300CNkiosk1|COsecret|CPFront desk|\r");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->code, "93");
  EXPECT_EQ(m->fixed, "00");
  EXPECT_EQ(m->FieldOr("CN"), "kiosk1");
  EXPECT_EQ(m->FieldOr("CP"), "Front desk");
  EXPECT_FALSE(m->sequence);
}

TEST(Sip2Parse, AcceptsCrlfAndNoTerminator) {
  EXPECT_TRUE(ParseRequest("9300CNa|COb|\r\n"));
  EXPECT_TRUE(ParseRequest("\n9300CNa|COb|\r"));
  EXPECT_TRUE(ParseRequest("9300CNa|COb|"));
}

TEST(Sip2Parse, VerifiesAChecksumWhenPresent) {
  std::string body = "9900302.00AY1AZ";
  auto good = body + Checksum(body);
  auto m = ParseRequest(good + "\r");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->sequence, 1);
  EXPECT_TRUE(m->fields.empty());
  auto bad = good;
  bad[3] = '1';
  EXPECT_EQ(ParseRequest(bad).error(), ParseError::kBadChecksum);
  EXPECT_EQ(ParseRequest("9900302.00AY1AZZZZZ").error(), ParseError::kBadChecksum);
}

TEST(Sip2Parse, AcceptsALowerCaseChecksum) {
  std::string body = "9900302.00AY7AZ";
  auto sum = Checksum(body);
  std::transform(sum.begin(), sum.end(), sum.begin(), ::tolower);
  EXPECT_TRUE(ParseRequest(body + sum));
}

TEST(Sip2Parse, RefusesShortAndUnknownMessages) {
  EXPECT_EQ(ParseRequest("\r").error(), ParseError::kEmpty);
  EXPECT_EQ(ParseRequest("x9\r").error(), ParseError::kBadCode);
  EXPECT_EQ(ParseRequest("11YN2026\r").error(), ParseError::kTooShort);
  EXPECT_EQ(ParseRequest("65N20260302    100000\r").error(), ParseError::kUnknownCommand);
}

TEST(Sip2Format, StripsBarsAndCarriageReturnsFromValues) {
  Message m;
  m.code = "94";
  m.fixed = "1";
  m.Add("AF", "a|b\rc\nd");
  EXPECT_EQ(Format(m), "941AFabcd|\r");
}

TEST(Sip2Format, AppendsSequenceAndChecksumOverTheBytesSent) {
  Message m;
  m.code = "94";
  m.fixed = "1";
  auto out = Format(m, Charset::kUtf8, 3);
  EXPECT_EQ(out.substr(0, 7), "941AY3A");
  auto body = out.substr(0, out.size() - 5);
  EXPECT_EQ(out.substr(out.size() - 5, 4), Checksum(body));
  EXPECT_TRUE(ParseResponse(out));
}

TEST(Sip2Charset, Cp850RoundTripsLatinAndReplacesTheRest) {
  std::string utf8 = "Caf\xC3\xA9 \xC3\x85ngstr\xC3\xB6m \xC3\xB1";
  auto cp = Utf8ToCp850(utf8);
  EXPECT_EQ(cp, "Caf\x82 \x8Fngstr\x94m \xA4");
  EXPECT_EQ(Cp850ToUtf8(cp), utf8);
  EXPECT_EQ(Utf8ToCp850("\xE6\x9B\xB8"), "?");  // 書
  EXPECT_EQ(Utf8ToCp850("\xFF"), "?");
}

TEST(Sip2Charset, ChecksumCoversTheEncodedBytes) {
  Message m;
  m.code = "94";
  m.fixed = "1";
  m.Add("AF", "caf\xC3\xA9");
  auto out = Format(m, Charset::kCp850, 0);
  auto back = ParseResponse(out, Charset::kCp850);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->FieldOr("AF"), "caf\xC3\xA9");
}

TEST(Sip2Date, LocalTimeWithBlankZone) {
  EXPECT_EQ(SipDateFromRfc3339("2026-03-02T10:00:05+08:00"), "20260302    100005");
  EXPECT_EQ(SipDateOfDay("2026-03-30"), "20260330    235959");
  EXPECT_EQ(SipDateFromRfc3339("nonsense"), "");
}

// Every saved request parses (or is refused, when marked `!`), and every saved answer parses and
// formats back to the same bytes.
TEST(Sip2Transcripts, RequestsParseAndAnswersRoundTrip) {
  auto files = testing::TranscriptFiles(BOOKSTAMP_SIP2_DATA);
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    for (const auto& x : testing::ReadTranscript(file)) {
      SCOPED_TRACE(file.filename().string() + ":" + std::to_string(x.line));
      auto req = ParseRequest(x.request);
      EXPECT_EQ(req.has_value(), !x.malformed);
      if (x.response.empty()) continue;
      auto res = ParseResponse(x.response);
      ASSERT_TRUE(res) << ToString(res.error());
      EXPECT_EQ(Format(*res, Charset::kUtf8, res->sequence), x.response + "\r");
    }
  }
}

}  // namespace
}  // namespace bookstamp::sip2
