#include "net/http/redirect.h"

#include <cstring>
#include <initializer_list>

namespace mcujs::net::http {

const char* redirect_error_code(RedirectError e) {
  switch (e) {
    case RedirectError::kOk: return "OK";
    case RedirectError::kModeError: return "REDIRECT_MODE_ERROR";
    case RedirectError::kTooMany: return "TOO_MANY_REDIRECTS";
    case RedirectError::kBadLocation: return "BAD_REDIRECT_LOCATION";
    case RedirectError::kInsecure: return "INSECURE_REDIRECT";
  }
  return "UNKNOWN";
}

bool is_redirect_status(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

RedirectError plan_redirect(const Url& from, const char* location, size_t len, int status, const char* method,
                            int hops, Url* next, RedirectPlan* plan) {
  *plan = RedirectPlan{};
  if (hops >= kMaxRedirects) return RedirectError::kTooMany;
  plan->url_error = resolve_url(from, location, len, next);
  if (plan->url_error != UrlError::kOk) return RedirectError::kBadLocation;
  if (from.https && !next->https) return RedirectError::kInsecure;
  plan->cross_origin = !next->same_origin(from);
  plan->to_get = (status == 303 && strcmp(method, "HEAD") != 0) ||
                 ((status == 301 || status == 302) && strcmp(method, "POST") == 0);
  return RedirectError::kOk;
}

void strip_for_redirect(HeaderList& headers, const RedirectPlan& plan) {
  if (plan.to_get)
    for (const char* h : {"content-type", "content-encoding", "content-language", "content-location"})
      headers.remove(h, strlen(h));
  if (plan.cross_origin)
    for (const char* h : {"authorization", "cookie", "proxy-authorization", "host"})
      headers.remove(h, strlen(h));
}

}  // namespace mcujs::net::http
