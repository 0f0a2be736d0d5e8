// A MARC 21 record as read from ISO 2709 or MARCXML, with its text already in UTF-8 (NFC).
// See docs/catalog.md "MARC" for how fields map to the catalog.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace bookstamp::marc {

struct Subfield {
  char code = 'a';
  std::string value;
};

struct Field {
  std::string tag;   // three characters: "245"
  std::string data;  // control fields (00X): the value; empty for data fields
  char ind1 = ' ', ind2 = ' ';
  std::vector<Subfield> subfields;

  bool IsControl() const { return tag.size() == 3 && tag[0] == '0' && tag[1] == '0'; }
  // The first subfield `code`, or "".
  std::string_view Sub(char code) const;
  // Every subfield `code`, in order.
  std::vector<std::string_view> Subs(char code) const;
  // The values of subfields whose code is in `codes`, in field order, joined by a space.
  std::string Join(std::string_view codes) const;
};

struct Record {
  std::string leader;  // 24 characters
  std::vector<Field> fields;

  // The first field with `tag`, or nullptr.
  const Field* First(std::string_view tag) const;
  std::vector<const Field*> All(std::string_view tag) const;
  // Leader/06, the type of record ('a' language material, 'z' authority, ...); ' ' when short.
  char Type() const { return leader.size() > 6 ? leader[6] : ' '; }
};

}  // namespace bookstamp::marc
