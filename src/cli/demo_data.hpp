// What `bookstamp demo` is made of: Taichung's branches, a generated catalog and generated patrons.
// Pure and deterministic (a seeded Rng in, the same records out); demo.cpp writes them through the
// use cases.
#pragma once
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/admin.hpp"
#include "app/catalog.hpp"

namespace bookstamp::demo {

// mt19937 with draws of our own: std's distributions differ between standard libraries, these do not.
class Rng {
 public:
  explicit Rng(std::uint32_t seed) : gen_(seed) {}
  // Uniform in [lo, hi].
  int Uniform(int lo, int hi) {
    auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(((static_cast<std::uint64_t>(gen_()) << 32 | gen_()) % span));
  }
  double Real() { return static_cast<double>(gen_()) / 4294967296.0; }  // [0, 1)
  bool Chance(double p) { return Real() < p; }
  template <class C>
  const auto& Pick(const C& c) {
    return c[static_cast<std::size_t>(Uniform(0, static_cast<int>(std::size(c)) - 1))];
  }
  // An index drawn with probability proportional to weights[i].
  std::size_t Weighted(std::span<const double> weights);
  template <class T>
  void Shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(Uniform(0, int(i) - 1))]);
  }

 private:
  std::mt19937 gen_;
};

struct BranchSeed {
  std::string_view code;
  std::string_view name;
  int weight;           // share of the collection and of the patrons who call it home
  bool mobile;          // 手機智能借書 switched on
  bool closed_mondays;  // a small branch closed on Mondays
};
// The 44 branches; the first is 總館 (MAIN).
std::span<const BranchSeed> Branches();

struct ShowcaseBibs {
  BibInput popular;   // a bestseller with three copies and a long hold queue
  BibInput ready;     // one copy at MAIN: comes back on the hold shelf for the showcase patron
  BibInput transit;   // one copy at XITUN: travels to MAIN for the showcase patron
};
ShowcaseBibs MakeShowcaseBibs();

// `chinese` Traditional Chinese records and `english` English ones, 1–5 copies each spread over the
// branches (by weight), years up to `max_year`; ISBN-13s and barcodes unique.
std::vector<BibInput> GenerateCatalog(Rng& rng, int chinese, int english, int max_year);

struct DemoPatron {
  PatronInput input;  // pin_hash left empty
  std::size_t home_branch = 0;  // index into Branches()
  double activity = 0;          // relative chance of a visit on a given day (0: registered, never comes)
};
// `n` patrons (~87% personal, ~10% family, ~3% group) with unique "T" + 9-digit card numbers
// that never collide with the showcase cards T000000001–T000000009.
std::vector<DemoPatron> GeneratePatrons(Rng& rng, int n);

// ISBN-13 check digit of the first 12 digits.
char Isbn13CheckDigit(std::string_view first12);

}  // namespace bookstamp::demo
