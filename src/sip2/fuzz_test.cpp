// The SIP2 parser fuzzed as a plain test (g++ has no libFuzzer): the saved requests and a few
// thousand deterministic mutations of them must parse or be refused, never crash, and whatever
// parses must format and parse back to the same message.
#include <gtest/gtest.h>

#include <random>

#include "sip2/codec.hpp"
#include "sip2/transcript.hpp"

namespace bookstamp::sip2 {
namespace {

std::vector<std::string> Corpus() {
  std::vector<std::string> corpus;
  for (const auto& file : testing::TranscriptFiles(BOOKSTAMP_SIP2_DATA))
    for (const auto& x : testing::ReadTranscript(file)) {
      corpus.push_back(x.request);
      if (!x.response.empty()) corpus.push_back(x.response);
    }
  corpus.push_back("");
  corpus.push_back("\r\n\r\n");
  corpus.push_back("11YY20260302    10000020260302    100000AOA|AA|AB|AY9AZ0000");
  return corpus;
}

std::string Mutate(std::string s, std::mt19937& rng) {
  static const std::string kInteresting[] = {"|", "\r", "\n", "AY", "AZ", "AY1AZ", "\xC3", "\xFF", "\x80", "00",
                                              "AA", "BP", "BQ", "999999999999", ""};
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int r = 0; r < rounds; ++r) {
    std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:
        if (!s.empty() && pos < s.size()) s[pos] = static_cast<char>(rng() % 256);
        break;
      case 1: s.insert(pos, 1, static_cast<char>(rng() % 256)); break;
      case 2:
        if (pos < s.size()) s.erase(pos, 1 + rng() % 8);
        break;
      case 3: s.resize(pos); break;
      case 4: s.insert(pos, kInteresting[rng() % std::size(kInteresting)]); break;
      case 5:
        if (pos < s.size()) s.insert(pos, s.substr(pos, rng() % 16));
        break;
    }
  }
  return s;
}

void Check(const std::string& input) {
  for (auto charset : {Charset::kUtf8, Charset::kCp850}) {
    auto m = ParseRequest(input, charset);
    auto r = ParseResponse(input, charset);
    (void)r;
    if (!m) continue;
    // CR or LF inside the fixed part cannot be sent back unchanged (they end a message).
    if (m->fixed.find_first_of("\r\n") != std::string::npos) continue;
    auto again = ParseRequest(Format(*m, charset, m->sequence), charset);
    ASSERT_TRUE(again) << "formatted message does not parse: " << ToString(again.error());
    EXPECT_EQ(again->code, m->code);
    EXPECT_EQ(again->fixed, m->fixed);
    EXPECT_EQ(again->sequence, m->sequence);
    // Fields lose nothing but the empty ones of fewer than two bytes, which never parse.
    EXPECT_EQ(again->fields, m->fields);
  }
}

TEST(Sip2Fuzz, SavedCorpusParsesOrIsRefused) {
  for (const auto& input : Corpus()) Check(input);
}

TEST(Sip2Fuzz, DeterministicMutationsNeverCrash) {
  auto corpus = Corpus();
  std::mt19937 rng(20261129);
  for (int i = 0; i < 20000; ++i) {
    auto input = Mutate(corpus[rng() % corpus.size()], rng);
    SCOPED_TRACE(::testing::PrintToString(input));
    Check(input);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(Sip2Fuzz, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) {
    std::string input(rng() % 200, '\0');
    for (auto& c : input) c = static_cast<char>(rng() % 256);
    if (rng() % 2 && input.size() >= 2) input[0] = '0' + rng() % 10, input[1] = '0' + rng() % 10;
    Check(input);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace bookstamp::sip2
