// Time for Mbed TLS: the wall clock for certificate validity, the monotonic
// clock for TLS 1.3 ticket ages, and our own gmtime (no libc time zones on
// the firmware). See MBEDTLS_PLATFORM_*_ALT in tls/config.
#include <mbedtls/platform.h>
#include <mbedtls/platform_time.h>
#include <mbedtls/platform_util.h>

#include <ctime>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

// The platform of the TLS call in progress. Process-wide because Mbed TLS's
// time and PSA's RNG callbacks carry no context; nested Scopes restore it.
const port::Platform* g_current = nullptr;

// A clock reading before this (2025-01-01) is an unset RTC, not a date.
constexpr int64_t kEarliestPlausible = 1735689600;

mbedtls_time_t wall_time(mbedtls_time_t* out) {
  int64_t now = 0;
  const port::Platform* p = g_current;
  // 0 (1970) when unknown: everything is "not yet valid", which the verify
  // callback forgives only under insecure_no_wall_clock.
  if (!p || !p->clock || !p->clock->wall_time(&now)) now = 0;
  auto t = static_cast<mbedtls_time_t>(now);
  if (out) *out = t;
  return t;
}

}  // namespace

Scope::Scope(const port::Platform* p) : prev_(g_current) { g_current = p; }
Scope::~Scope() { g_current = prev_; }
const port::Platform* current_platform() { return g_current; }

void install_time_hooks() { mbedtls_platform_set_time(wall_time); }

const char* wall_clock_problem(const port::Platform& p, int64_t* now) {
  *now = 0;
  if (!p.clock || !p.clock->wall_time(now)) return "the platform has no wall clock";
  if (*now < kEarliestPlausible) return "the wall clock is not set (it reads a date before 2025)";
  return nullptr;
}

}  // namespace mcujs::tls

using mcujs::tls::current_platform;

// Milliseconds for ticket ages: only differences matter, so monotonic time.
mbedtls_ms_time_t mbedtls_ms_time(void) {
  const mcujs::port::Platform* p = current_platform();
  return p && p->clock ? static_cast<mbedtls_ms_time_t>(p->clock->monotonic_ms()) : 0;
}

// UTC calendar from Unix time (Howard Hinnant's civil_from_days).
struct tm* mbedtls_platform_gmtime_r(const mbedtls_time_t* tt, struct tm* tm_buf) {
  int64_t t = static_cast<int64_t>(*tt);
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1900 || y > 9999) return nullptr;
  *tm_buf = {};
  tm_buf->tm_year = static_cast<int>(y - 1900);
  tm_buf->tm_mon = static_cast<int>(m - 1);
  tm_buf->tm_mday = static_cast<int>(d);
  tm_buf->tm_hour = static_cast<int>(secs / 3600);
  tm_buf->tm_min = static_cast<int>(secs / 60 % 60);
  tm_buf->tm_sec = static_cast<int>(secs % 60);
  return tm_buf;
}
