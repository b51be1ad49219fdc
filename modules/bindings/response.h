// Response, as fetch() creates it (modules/bindings/response.cpp).
#pragma once

#include "modules/bindings/web_common.h"

namespace mcujs::bind {

enum class ResponseType : uint8_t { kDefault, kBasic, kCors, kError, kOpaque, kOpaqueRedirect };

struct ResponseFields {
  int status = 200;
  const char* status_text = "";  // bytes
  size_t status_text_len = 0;
  const char* url = "";
  ResponseType type = ResponseType::kDefault;
  bool redirected = false;
  bool reused = false;   // non-standard: _reused
  bool resumed = false;  // non-standard: _resumed
};

// A new Response owning headers (a Headers) and data (js_malloc'd,
// NUL-terminated; has_body false: a null body). On failure data is freed.
JSValue new_response(JSContext* ctx, const ResponseFields& in, JSValue headers, uint8_t* data, size_t len,
                     bool has_body);
bool install_response_class(JSContext* ctx);
// v's body and headers (borrowed) when v is a Response.
bool response_body(JSValueConst v, Body** body, JSValue* headers);  // the Response global (lazily)

}  // namespace mcujs::bind
