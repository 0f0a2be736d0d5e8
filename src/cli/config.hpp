// The TOML configuration file (--config): time zone, policy defaults, and later SMTP and SIP2.
#pragma once
#include <string>

#include "app/admin.hpp"

namespace bookstamp {

struct Config {
  std::string timezone = "Asia/Taipei";
  PolicyView policy_defaults;  // seeded into the database on first start
};

// Reads the file; throws std::runtime_error naming the key at fault.
Config LoadConfig(const std::string& path);

}  // namespace bookstamp
