// Field and record look-ups.
#include "marc/marc_record.hpp"

namespace bookstamp::marc {

std::string_view Field::Sub(char code) const {
  for (const auto& s : subfields)
    if (s.code == code) return s.value;
  return {};
}

std::vector<std::string_view> Field::Subs(char code) const {
  std::vector<std::string_view> out;
  for (const auto& s : subfields)
    if (s.code == code) out.push_back(s.value);
  return out;
}

std::string Field::Join(std::string_view codes) const {
  std::string out;
  for (const auto& s : subfields) {
    if (codes.find(s.code) == std::string_view::npos || s.value.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += s.value;
  }
  return out;
}

const Field* Record::First(std::string_view tag) const {
  for (const auto& f : fields)
    if (f.tag == tag) return &f;
  return nullptr;
}

std::vector<const Field*> Record::All(std::string_view tag) const {
  std::vector<const Field*> out;
  for (const auto& f : fields)
    if (f.tag == tag) out.push_back(&f);
  return out;
}

}  // namespace bookstamp::marc
