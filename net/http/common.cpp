#include "net/http/common.h"

namespace mcujs::net::http {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(const char* s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if (!is_tchar(s[i])) return false;
  return true;
}

bool is_field_value(const char* s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return n == 0 || (s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t');
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

bool equals_ci(const char* s, size_t n, const char* lit) {
  size_t i = 0;
  for (; i < n; i++)
    if (!lit[i] || lower(s[i]) != lower(lit[i])) return false;
  return lit[i] == 0;
}

bool list_has_token(const char* s, size_t n, const char* lit) {
  size_t i = 0;
  while (i < n) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) i++;
    size_t b = i;
    while (i < n && s[i] != ',') i++;
    size_t e = i;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
    if (e > b && equals_ci(s + b, e - b, lit)) return true;
  }
  return false;
}

}  // namespace mcujs::net::http
