// The redirect policy of fetch, as net::http code (no JavaScript): which
// statuses redirect, where the next hop goes, what the request loses on the
// way. Follows the Fetch standard's "HTTP-redirect fetch" plus what Node.js's
// fetch (undici) does to keep credentials from leaking:
// - at most kMaxRedirects hops (the standard's 20), then kTooMany;
// - never from https to http (kInsecure): the request's headers (cookies,
//   tokens, anything custom) would go out in clear text;
// - to another origin: Authorization, Cookie and Proxy-Authorization are
//   dropped (and Host, which the client sets itself);
// - 303 (except for HEAD), and 301/302 after a POST, become a GET without a
//   body and without the body's headers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/limits.h"
#include "net/http/header_list.h"
#include "net/url.h"

namespace mcujs::net::http {

constexpr int kMaxRedirects = MCUJS_HTTP_MAX_REDIRECTS;  // core/limits.h

enum class RedirectMode : uint8_t { kFollow, kManual, kError };

enum class RedirectError : uint8_t {
  kOk = 0,
  kModeError,    // a redirect with redirect: 'error'
  kTooMany,      // more than kMaxRedirects hops
  kBadLocation,  // the Location does not resolve to an http(s) URL
  kInsecure,     // https -> http
};
// "INSECURE_REDIRECT", ...: the error's code in JavaScript.
const char* redirect_error_code(RedirectError e);

bool is_redirect_status(int status);

struct RedirectPlan {
  bool to_get = false;        // the method becomes GET and the body goes
  bool cross_origin = false;  // credentials stay behind
  UrlError url_error = UrlError::kOk;  // with kBadLocation
};

// Plans hop number hops + 1 from `from` to the Location value. *next (2 KB:
// keep it off small stacks) receives the new URL.
RedirectError plan_redirect(const Url& from, const char* location, size_t len, int status, const char* method,
                            int hops, Url* next, RedirectPlan* plan);

// Applies the plan to the request's header list.
void strip_for_redirect(HeaderList& headers, const RedirectPlan& plan);

}  // namespace mcujs::net::http
