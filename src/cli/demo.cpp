// Demo city generator (being written).
#include "cli/demo.hpp"

#include <iostream>

namespace bookstamp {
int RunDemo(const DemoOptions&) {
  std::cerr << "demo: not yet\n";
  return 2;
}
}  // namespace bookstamp
