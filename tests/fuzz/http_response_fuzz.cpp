// libFuzzer target: net::http::ResponseParser (the HTTP/1.1 response parser
// behind fetch) fed the input in pieces whose sizes come from the input
// itself, so a split anywhere is explored. Checks what the parser promises
// beyond not crashing: consumed never exceeds what it was given, body slices
// lie inside the input, events arrive in order (head once, then body, then
// done or error), the body length matches Content-Length, a failed parser
// stays failed, and the same input fed in one piece gives the same verdict.
#include <cstdint>
#include <cstring>

#include "net/http/response.h"

namespace {

using mcujs::net::http::Field;
using mcujs::net::http::ParseError;
using mcujs::net::http::ResponseParser;
using Event = ResponseParser::Event;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Outcome {
  Event last = Event::kNeedMore;
  ParseError error = ParseError::kNone;
  int status = 0;
  uint64_t body = 0;
};

// Feeds data[0, len) in pieces of the sizes in splits (cycled; 0 = rest).
Outcome run(const uint8_t* data, size_t len, bool head_request, const uint8_t* splits, size_t nsplits) {
  char head[2048];
  Field fields[16];
  ResponseParser p(head, sizeof head, fields, 16);
  p.reset(head_request);
  Outcome o;
  bool saw_head = false, ended = false;
  size_t off = 0, k = 0;
  while (off < len && !ended) {
    size_t piece = len - off;
    if (nsplits > 0) {
      size_t s = splits[k++ % nsplits];
      if (s != 0 && s < piece) piece = s;
    }
    const uint8_t* chunk = data + off;
    size_t left = piece;
    for (int guard = 0;; guard++) {
      check(guard < 1000000);  // an event that consumes nothing forever is a hang
      ResponseParser::Result r = p.feed(chunk, left);
      check(r.consumed <= left);
      if (r.event == Event::kBody) {
        check(saw_head);
        check(r.data >= chunk && r.len <= left && r.data + r.len <= chunk + left);
        o.body += r.len;
      }
      if (r.event == Event::kHead) {
        check(!saw_head);
        saw_head = true;
        check(p.status() >= 100 && p.status() <= 599);
        check(p.field_count() <= 16);
        for (size_t i = 0; i < p.field_count(); i++) check(p.field(i).name && p.field(i).name_len > 0);
        o.status = p.status();
      }
      chunk += r.consumed;
      left -= r.consumed;
      o.last = r.event;
      if (r.event == Event::kDone || r.event == Event::kError) {
        ended = true;
        break;
      }
      if (r.event == Event::kNeedMore) check(left == 0);
      if (left == 0) break;
    }
    off += piece - left;
  }
  if (!ended) {
    ResponseParser::Result r = p.finish();
    check(r.event == Event::kDone || r.event == Event::kError);
    o.last = r.event;
  }
  if (o.last == Event::kError) {
    o.error = p.error();
    check(o.error != ParseError::kNone);
    check(mcujs::net::http::parse_error_message(o.error) != nullptr);
    uint8_t more = 'x';
    check(p.feed(&more, 1).event == Event::kError);  // failed stays failed
  } else {
    check(p.error() == ParseError::kNone);
    check(saw_head);
    if (p.body() == ResponseParser::Body::kLength) check(o.body == p.content_length());
    if (p.body() == ResponseParser::Body::kNone) check(o.body == 0);
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // Byte 0: HEAD request or not, and how many split sizes follow (0..7).
  bool head_request = data[0] & 1;
  size_t nsplits = (data[0] >> 1) & 7;
  if (size < 1 + nsplits) return 0;
  const uint8_t* splits = data + 1;
  const uint8_t* msg = data + 1 + nsplits;
  size_t len = size - 1 - nsplits;
  Outcome split = run(msg, len, head_request, splits, nsplits);
  Outcome whole = run(msg, len, head_request, nullptr, 0);
  // Where the input is cut must not change the verdict.
  check(split.last == whole.last && split.error == whole.error && split.status == whole.status &&
        split.body == whole.body);
  return 0;
}
