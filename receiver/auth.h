// Authentication: the devices' Secret header and the dashboard token.
// Every secret comparison is constant-time and does not leak the length.
#pragma once
#include <map>
#include <string>

#include "config.h"

namespace mcujs_receiver::http {
struct Request;
}

namespace mcujs_receiver {

// Compares SHA-256 digests of both strings with CRYPTO_memcmp: the time
// depends on neither the contents nor which string is longer.
bool secret_equal(const std::string& a, const std::string& b);

class DeviceAuth {
 public:
  explicit DeviceAuth(const Config& cfg);
  // True when `secret` is the configured secret of `coreid` (or the shared
  // secret, when one is configured and the device is not listed).
  bool check(const std::string& coreid, const std::string& secret) const;
  // Mutual TLS: true when the client certificate (SHA-256 of its DER, its
  // subject CN, whether it chains to client_ca) identifies `coreid`: the
  // device's pinned cert_sha256 if it has one, else a CA-verified CN equal
  // to the coreid.
  bool check_cert(const std::string& coreid, const std::string& sha256_hex, const std::string& cn,
                  bool ca_verified) const;
  // Display name from the config, "" if none.
  std::string name_of(const std::string& coreid) const;

 private:
  std::map<std::string, Device> devices_;
  std::string shared_secret_;
};

// The dashboard session: "Authorization: Bearer <token>" or the cookie
// "mcujs_session=<token>". An empty configured token never matches.
bool dashboard_authorized(const http::Request& req, const std::string& token);
bool token_matches(const std::string& given, const std::string& token);

constexpr const char* kSessionCookie = "mcujs_session";

}  // namespace mcujs_receiver
