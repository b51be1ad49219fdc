#include "form.h"

namespace mcujs_receiver {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool url_decode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); i++) {
    char c = in[i];
    if (c == '+') {
      *out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += c;
    }
  }
  return true;
}

bool parse_form(std::string_view body, std::map<std::string, std::string>* out) {
  out->clear();
  if (body.empty()) return false;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    size_t eq = body.find('=', pos);
    if (eq == std::string_view::npos || eq >= amp || eq == pos) return false;
    std::string name, value;
    if (!url_decode(body.substr(pos, eq - pos), &name) || !url_decode(body.substr(eq + 1, amp - eq - 1), &value))
      return false;
    if (name.empty() || !out->emplace(name, value).second) return false;
    pos = amp + 1;
  }
  return true;
}

}  // namespace mcujs_receiver
