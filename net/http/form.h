// application/x-www-form-urlencoded, as the WHATWG URL standard defines it
// (the codec behind URLSearchParams and form bodies). Bytes in, bytes out;
// no allocation: callers size their buffers from the returned lengths.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::net::http {

// The form serialiser for bytes: *-._ and alphanumerics as is, space as
// '+', everything else %XX (upper case). Writes at most cap bytes to out
// (may be null) and returns the full length.
size_t form_escape(const uint8_t* in, size_t n, char* out, size_t cap);

// Percent-decodes in ('+' is a space; a '%' not followed by two hex digits
// stays as is) into out, which needs n bytes; returns the decoded length.
size_t form_unescape(const char* in, size_t n, uint8_t* out);

// Splits a form string on '&' and each sequence at its first '=' (still
// escaped), skipping empty sequences; each(opaque, name, nl, value, vl)
// is called in order. Returns the number of pairs.
using FormPairFn = void (*)(void* opaque, const char* name, size_t nl, const char* value, size_t vl);
size_t form_split(const char* in, size_t n, FormPairFn each, void* opaque);

}  // namespace mcujs::net::http
