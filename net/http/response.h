// Incremental HTTP/1.1 response parser (RFC 9112), fed arbitrary chunks.
//
// The status line and header fields are copied into a caller-supplied buffer
// (they may arrive split anywhere); body bytes are not copied but returned
// as slices of the input. Bounded: head bytes, field count, chunk-size line
// and trailer section all have hard limits, with a distinct error for each.
//
//   ResponseParser p(head, sizeof head, fields, 32);
//   p.reset(/*head_request=*/false);
//   while (have input) {
//     auto r = p.feed(data, len);   // one event per call
//     data += r.consumed; len -= r.consumed;
//     kHead: look at status()/find(); kBody: use r.data/r.len;
//     kDone: message complete (bytes left over are not part of it);
//     kError: error(); kNeedMore: all input consumed, read more.
//   }
//   at end of stream: p.finish()  (kDone for read-until-close bodies)
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/http/common.h"

namespace mcujs::net::http {

enum class ParseError : uint8_t {
  kNone = 0,
  kBadStatusLine,       // not "HTTP/1.x NNN reason"
  kBadVersion,          // not HTTP/1.x
  kBadStatus,           // status outside 100..599, or 101 (never asked for)
  kBadHeader,           // malformed field line, obs-fold, bare CR, controls
  kHeadTooLarge,        // status line + fields exceed the head buffer
  kTooManyHeaders,      // more fields than the field array holds
  kBadContentLength,    // not digits, too big, or conflicting values
  kBadTransferEncoding, // any transfer coding but a single final "chunked"
  kBadChunk,            // malformed chunk-size line or chunk terminator
  kChunkLineTooLong,    // chunk-size line (with extensions) over kMaxChunkLine
  kTrailersTooLarge,    // trailer section over the head buffer's size
  kTruncated,           // the stream ended before the message did
};

const char* parse_error_message(ParseError e);

class ResponseParser {
 public:
  enum class Event : uint8_t { kNeedMore, kHead, kBody, kDone, kError };
  enum class Body : uint8_t { kNone, kLength, kChunked, kUntilClose };
  struct Result {
    Event event;
    size_t consumed;              // input bytes used by this call
    const uint8_t* data = nullptr;  // kBody: the slice (inside the input)
    size_t len = 0;
  };

  static constexpr size_t kMaxChunkLine = 1024;
  static constexpr uint64_t kMaxContentLength = 1000000000000000000ull;  // 10^18

  // head: storage for status line and fields (NUL-terminated strings are
  // kept there); fields: room for max_fields parsed fields.
  ResponseParser(char* head, size_t head_cap, Field* fields, size_t max_fields);
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  // Prepares for a new response. head_request: the response to a HEAD
  // request, which never has a body whatever its fields say.
  void reset(bool head_request = false);
  Result feed(const uint8_t* data, size_t len);
  // The peer closed the stream: kDone for a read-until-close body (or an
  // already complete message), else kError with kTruncated.
  Result finish();

  // Valid from kHead on.
  int status() const { return status_; }
  int minor_version() const { return minor_; }
  const char* reason() const { return reason_ ? reason_ : ""; }
  size_t field_count() const { return field_count_; }
  const Field& field(size_t i) const { return fields_[i]; }
  // The first field named name (case-insensitive), or nullptr.
  const Field* find(const char* name) const;
  Body body() const { return body_; }
  uint64_t content_length() const { return content_length_; }
  // Whether the connection may carry another request after this response.
  // Final only after kDone.
  bool keep_alive() const { return keep_alive_; }

  ParseError error() const { return error_; }
  bool started() const { return bytes_ > 0; }  // any byte of a response seen
  bool head_done() const { return head_done_; }
  bool done() const { return state_ == State::kComplete; }

 private:
  enum class State : uint8_t {
    kStatus, kFields,  // head lines, copied into head_
    kBodyLength, kUntilClose,
    kChunkSize, kChunkExt, kChunkData, kChunkDataEnd, kTrailers,
    kComplete, kFailed,
  };

  Event fail(ParseError e);
  Event head_byte(char c);
  Event chunk_byte(char c);
  Event end_of_line();
  bool parse_status_line(char* line, size_t len);
  ParseError parse_field_line(char* line, size_t len);
  Event end_of_head();
  void clear_head();

  char* head_;
  size_t head_cap_;
  Field* fields_;
  size_t max_fields_;

  State state_ = State::kStatus;
  ParseError error_ = ParseError::kNone;
  Body body_ = Body::kNone;
  bool head_request_ = false;
  bool head_done_ = false;
  bool cr_ = false;  // a CR was seen; only LF may follow
  bool chunk_bws_ = false;  // whitespace after the chunk size
  bool keep_alive_ = false;
  bool cl_seen_ = false, te_seen_ = false, te_chunked_ = false;
  bool conn_close_ = false, conn_keep_alive_ = false;
  int status_ = 0;
  int minor_ = 0;
  const char* reason_ = nullptr;
  size_t field_count_ = 0;
  size_t head_len_ = 0;    // bytes used in head_
  size_t line_start_ = 0;  // where the current line began in head_
  size_t line_len_ = 0;    // chunk-size and trailer lines (not stored)
  size_t trailer_bytes_ = 0;
  size_t chunk_digits_ = 0;
  uint64_t content_length_ = 0;
  uint64_t remaining_ = 0;  // of the Content-Length body or current chunk
  uint64_t bytes_ = 0;
};

}  // namespace mcujs::net::http
