// `bookstamp demo`: a demo city (44 branches, patrons, catalog, loans, holds, suspensions).
#pragma once
#include <string>

namespace bookstamp {

struct DemoOptions {
  std::string data;
  int patrons = 3000;
  bool print_logins_only = false;
};

// Fills DATA (refuses a data dir that already has a database). Returns the exit code.
int RunDemo(const DemoOptions& options);

}  // namespace bookstamp
