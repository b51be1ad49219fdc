// data: URLs (the Fetch standard's data: URL processor) and the forgiving
// base64 decoder they and atob() share. Bytes in, bytes out; no allocation:
// callers size their buffers from the input length.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::net::http {

// HTML's forgiving base64 decode: ASCII whitespace ignored, at most two '='
// at the end of a multiple of four characters. out needs n * 3 / 4 + 3
// bytes. False (with *why) for anything else.
bool forgiving_base64(const char* in, size_t n, uint8_t* out, size_t* out_len, const char** why);

// Processes a serialised data: URL (href, starting "data:", any case):
// its body percent-decoded, then base64-decoded when the media type ends
// in ";base64", into body (which needs n bytes), and its media type (as
// written, trimmed; "text/plain;charset=US-ASCII" when empty, "text/plain"
// put in front of one starting with ';') into mime (NUL-terminated;
// truncated to mime_cap - 1). False: no ',' or bad base64.
bool process_data_url(const char* href, size_t n, uint8_t* body, size_t* body_len, char* mime, size_t mime_cap);

}  // namespace mcujs::net::http
