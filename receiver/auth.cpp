#include "auth.h"

#include "http_message.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace mcujs_receiver {
namespace {

bool sha256(const std::string& s, unsigned char out[32]) {
  unsigned int n = 0;
  return EVP_Digest(s.data(), s.size(), out, &n, EVP_sha256(), nullptr) == 1 && n == 32;
}

}  // namespace

bool secret_equal(const std::string& a, const std::string& b) {
  unsigned char da[32], db[32];
  if (!sha256(a, da) || !sha256(b, db)) return false;
  return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

DeviceAuth::DeviceAuth(const Config& cfg) : shared_secret_(cfg.shared_secret) {
  for (const Device& d : cfg.devices) devices_[d.coreid] = d;
}

bool DeviceAuth::check(const std::string& coreid, const std::string& secret) const {
  auto it = devices_.find(coreid);
  const std::string* expected = nullptr;
  if (it != devices_.end())
    expected = &it->second.secret;
  else if (!shared_secret_.empty())
    expected = &shared_secret_;
  // An unknown device still costs one comparison, like a known one.
  static const std::string kNothing = "\x01unknown device\x01";
  bool same = secret_equal(secret, expected ? *expected : kNothing);
  return expected != nullptr && !secret.empty() && same;
}

bool DeviceAuth::check_cert(const std::string& coreid, const std::string& sha256_hex, const std::string& cn,
                            bool ca_verified) const {
  auto it = devices_.find(coreid);
  if (it != devices_.end() && !it->second.cert_sha256.empty()) return secret_equal(sha256_hex, it->second.cert_sha256);
  return ca_verified && !cn.empty() && cn == coreid;
}

std::string DeviceAuth::name_of(const std::string& coreid) const {
  auto it = devices_.find(coreid);
  return it == devices_.end() ? std::string() : it->second.name;
}

bool token_matches(const std::string& given, const std::string& token) {
  bool same = secret_equal(given, token);
  return !token.empty() && !given.empty() && same;
}

bool dashboard_authorized(const http::Request& req, const std::string& token) {
  const std::string auth = req.get_header_value("Authorization");
  static const std::string kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.compare(0, kBearer.size(), kBearer) == 0)
    return token_matches(auth.substr(kBearer.size()), token);
  // Cookie: a=b; mcujs_session=TOKEN; c=d
  const std::string cookies = req.get_header_value("Cookie");
  const std::string want = std::string(kSessionCookie) + "=";
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string item = cookies.substr(pos, end - pos);
    size_t b = item.find_first_not_of(' ');
    if (b != std::string::npos && item.compare(b, want.size(), want) == 0)
      return token_matches(item.substr(b + want.size()), token);
    pos = end + 1;
  }
  return false;
}

}  // namespace mcujs_receiver
