// HTTP/1.1 request serialisation (RFC 9112) into a caller-supplied buffer.
// Everything that goes on the wire is validated, so a header value cannot
// smuggle a second request (no CR/LF), and the fields that decide message
// framing or the connection's fate are the writer's alone.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/http/common.h"

namespace mcujs::net::http {

struct RequestHead {
  const char* method = "GET";        // a token, sent as is (case matters)
  const char* target = "/";          // origin-form "/path?query" (or "*")
  const char* authority = nullptr;   // the Host value, unless fields carry Host
  const Field* fields = nullptr;     // extra header fields, in order
  size_t field_count = 0;
  bool has_length = false;           // send Content-Length: content_length
  uint64_t content_length = 0;
  bool close = false;                // send Connection: close
  // Content-Length right after Host instead of after the fields (the
  // article's cloud wire format: Host, Content-Length, Content-Type, ...).
  bool length_first = false;
};

enum class WriteError : uint8_t {
  kOk = 0,
  kBadMethod,
  kBadTarget,
  kBadAuthority,    // missing, or with whitespace/controls
  kBadFieldName,
  kBadFieldValue,   // CR, LF, NUL, controls, or surrounding whitespace
  kReservedField,   // Content-Length, Transfer-Encoding, Connection & co.
  kTooSmall,        // buf cannot hold the head; *len says how much it needs
};

const char* write_error_message(WriteError e);

// True for the fields the writer controls: Content-Length, Transfer-Encoding,
// Connection, Keep-Alive, Upgrade, TE, Trailer, Expect.
bool is_reserved_field(const char* name, size_t len);

// Writes the request line and header fields, ending with the empty line.
// *len receives the length written or, on kTooSmall, the length needed (so
// cap 0 measures). Not NUL-terminated.
WriteError write_request_head(const RequestHead& r, char* buf, size_t cap, size_t* len);

}  // namespace mcujs::net::http
