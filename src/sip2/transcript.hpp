// Saved SIP2 transcripts (tests/data/sip2/*.txt) for the codec, session and fuzz tests. Lines:
//   # comment
//   > request            sent with CR
//   >> request           sent with CRLF
//   < expected answer    (without its CR)
//   ! malformed request  (the codec refuses it; the session answers the next `<`)
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace bookstamp::sip2::testing {

struct Exchange {
  std::string request;   // with its terminator
  bool malformed = false;
  std::string response;  // without CR; may be empty when no answer is expected
  int line = 0;
};

inline std::vector<Exchange> ReadTranscript(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<Exchange> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(">> ", 0) == 0) {
      out.push_back({line.substr(3) + "\r\n", false, {}, n});
    } else if (line.rfind("> ", 0) == 0) {
      out.push_back({line.substr(2) + "\r", false, {}, n});
    } else if (line.rfind("! ", 0) == 0) {
      out.push_back({line.substr(2) + "\r", true, {}, n});
    } else if (line.rfind("< ", 0) == 0 && !out.empty()) {
      out.back().response = line.substr(2);
    }
  }
  return out;
}

inline std::vector<std::filesystem::path> TranscriptFiles(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bookstamp::sip2::testing
