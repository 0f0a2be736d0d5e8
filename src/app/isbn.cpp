// ISBN cleaning and ISBN-10 -> ISBN-13 (ISO 2108).
#include "app/isbn.hpp"

#include <cctype>

namespace bookstamp::isbn {

std::string Clean(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else if ((c == 'X' || c == 'x') && out.size() == 9) {
      out.push_back('X');
      ++i;
      break;
    } else if (c == '-' || c == ' ') {
      // Separators inside the number; a space after 10 or 13 digits ends it (a qualifier follows).
      if (c == ' ' && (out.size() == 10 || out.size() == 13)) break;
    } else {
      break;
    }
    if (out.size() > 13) return {};
  }
  // Digits running on into letters ("0306406152pbk") still end the number there.
  if (out.size() != 10 && out.size() != 13) return {};
  if (out.size() == 13 && out.back() == 'X') return {};
  return out;
}

bool Valid(std::string_view d) {
  if (d.size() == 10) {
    int sum = 0;
    for (int i = 0; i < 10; ++i) {
      int v;
      if (d[i] == 'X') {
        if (i != 9) return false;
        v = 10;
      } else if (std::isdigit(static_cast<unsigned char>(d[i]))) {
        v = d[i] - '0';
      } else {
        return false;
      }
      sum += v * (10 - i);
    }
    return sum % 11 == 0;
  }
  if (d.size() == 13) {
    if (d.substr(0, 3) != "978" && d.substr(0, 3) != "979") return false;
    int sum = 0;
    for (int i = 0; i < 13; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
      sum += (d[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return sum % 10 == 0;
  }
  return false;
}

std::optional<std::string> To13(std::string_view text) {
  auto d = Clean(text);
  if (!Valid(d)) return std::nullopt;
  if (d.size() == 13) return d;
  std::string out = "978" + d.substr(0, 9);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (out[i] - '0') * (i % 2 == 0 ? 1 : 3);
  out.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return out;
}

std::vector<std::string> SearchForms(std::string_view text) {
  auto d = Clean(text);
  if (d.empty()) return {};
  std::vector<std::string> out{d};
  if (auto t = To13(d); t && *t != d) out.push_back(*t);
  return out;
}

}  // namespace bookstamp::isbn
