#include "net/http/response.h"

#include <cstring>

namespace mcujs::net::http {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
bool is_ows(char c) { return c == ' ' || c == '\t'; }
// Field values and reason phrases: HTAB, SP, VCHAR, obs-text.
bool is_text(char c) {
  auto b = static_cast<unsigned char>(c);
  return b == '\t' || (b >= 0x20 && b != 0x7f);
}

// Content-Length: "n" or a list of identical "n, n" (RFC 9110 8.6).
bool parse_content_length(const char* s, size_t n, uint64_t* out) {
  bool any = false;
  size_t i = 0;
  while (i <= n) {
    while (i < n && is_ows(s[i])) i++;
    uint64_t v = 0;
    size_t digits = 0;
    while (i < n && is_digit(s[i])) {
      if (++digits > 19) return false;  // < 2^64
      v = v * 10 + static_cast<uint64_t>(s[i++] - '0');
    }
    while (i < n && is_ows(s[i])) i++;
    if (digits == 0 || (i < n && s[i] != ',')) return false;
    if (any && v != *out) return false;
    *out = v;
    any = true;
    if (i == n) break;
    i++;  // the comma
  }
  return any;
}

}  // namespace

const char* parse_error_message(ParseError e) {
  switch (e) {
    case ParseError::kNone: return "no error";
    case ParseError::kBadStatusLine: return "malformed status line";
    case ParseError::kBadVersion: return "unsupported HTTP version (HTTP/1.x only)";
    case ParseError::kBadStatus: return "invalid or unexpected status code";
    case ParseError::kBadHeader: return "malformed header field";
    case ParseError::kHeadTooLarge: return "response head too large";
    case ParseError::kTooManyHeaders: return "too many header fields";
    case ParseError::kBadContentLength: return "invalid Content-Length";
    case ParseError::kBadTransferEncoding: return "unsupported Transfer-Encoding (only chunked)";
    case ParseError::kBadChunk: return "malformed chunked encoding";
    case ParseError::kChunkLineTooLong: return "chunk size line too long";
    case ParseError::kTrailersTooLarge: return "trailer section too large";
    case ParseError::kTruncated: return "connection closed before the response was complete";
  }
  return "parse error";
}

ResponseParser::ResponseParser(char* head, size_t head_cap, Field* fields, size_t max_fields)
    : head_(head), head_cap_(head_cap), fields_(fields), max_fields_(max_fields) {
  reset();
}

void ResponseParser::clear_head() {
  status_ = 0;
  minor_ = 0;
  reason_ = nullptr;
  field_count_ = 0;
  head_len_ = 0;
  line_start_ = 0;
  cl_seen_ = te_seen_ = te_chunked_ = false;
  conn_close_ = conn_keep_alive_ = false;
  content_length_ = 0;
}

void ResponseParser::reset(bool head_request) {
  clear_head();
  state_ = State::kStatus;
  error_ = ParseError::kNone;
  body_ = Body::kNone;
  head_request_ = head_request;
  head_done_ = false;
  cr_ = false;
  keep_alive_ = false;
  line_len_ = 0;
  trailer_bytes_ = 0;
  chunk_digits_ = 0;
  chunk_bws_ = false;
  remaining_ = 0;
  bytes_ = 0;
}

const Field* ResponseParser::find(const char* name) const {
  for (size_t i = 0; i < field_count_; i++)
    if (equals_ci(fields_[i].name, fields_[i].name_len, name)) return &fields_[i];
  return nullptr;
}

ResponseParser::Event ResponseParser::fail(ParseError e) {
  if (state_ != State::kFailed) error_ = e;
  state_ = State::kFailed;
  keep_alive_ = false;
  return Event::kError;
}

bool ResponseParser::parse_status_line(char* line, size_t len) {
  // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing.
  if (len < 5 || memcmp(line, "HTTP/", 5) != 0) {
    error_ = ParseError::kBadStatusLine;
    return false;
  }
  if (len < 9 || !is_digit(line[5]) || line[6] != '.' || !is_digit(line[7]) || line[8] != ' ') {
    error_ = ParseError::kBadVersion;
    return false;
  }
  if (line[5] != '1') {
    error_ = ParseError::kBadVersion;
    return false;
  }
  if (len < 12 || !is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11]) || (len > 12 && line[12] != ' ')) {
    error_ = ParseError::kBadStatusLine;
    return false;
  }
  for (size_t i = 13; i < len; i++) {
    if (!is_text(line[i])) {
      error_ = ParseError::kBadStatusLine;
      return false;
    }
  }
  minor_ = line[7] - '0';
  status_ = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (status_ < 100 || status_ > 599 || status_ == 101) {
    error_ = ParseError::kBadStatus;
    return false;
  }
  reason_ = len > 13 ? line + 13 : line + len;
  return true;
}

ParseError ResponseParser::parse_field_line(char* line, size_t len) {
  if (is_ows(line[0])) return ParseError::kBadHeader;  // obs-fold: refused
  size_t colon = 0;
  while (colon < len && line[colon] != ':') colon++;
  if (colon == len || !is_token(line, colon)) return ParseError::kBadHeader;
  size_t vb = colon + 1, ve = len;
  while (vb < ve && is_ows(line[vb])) vb++;
  while (ve > vb && is_ows(line[ve - 1])) ve--;
  for (size_t i = vb; i < ve; i++)
    if (!is_text(line[i])) return ParseError::kBadHeader;
  if (field_count_ == max_fields_) return ParseError::kTooManyHeaders;
  line[colon] = 0;
  line[ve] = 0;
  Field& f = fields_[field_count_++];
  f = Field{line, colon, line + vb, ve - vb};

  if (equals_ci(f.name, f.name_len, "content-length")) {
    uint64_t v = 0;
    if (!parse_content_length(f.value, f.value_len, &v) || v > kMaxContentLength ||
        (cl_seen_ && v != content_length_))
      return ParseError::kBadContentLength;
    cl_seen_ = true;
    content_length_ = v;
  } else if (equals_ci(f.name, f.name_len, "transfer-encoding")) {
    te_seen_ = true;
    // Each coding in turn; "chunked" must be the only and final one.
    size_t i = 0;
    while (i < f.value_len) {
      while (i < f.value_len && (is_ows(f.value[i]) || f.value[i] == ',')) i++;
      size_t b = i;
      while (i < f.value_len && f.value[i] != ',') i++;
      size_t e = i;
      while (e > b && is_ows(f.value[e - 1])) e--;
      if (e == b) continue;
      if (te_chunked_ || !equals_ci(f.value + b, e - b, "chunked")) return ParseError::kBadTransferEncoding;
      te_chunked_ = true;
    }
  } else if (equals_ci(f.name, f.name_len, "connection")) {
    conn_close_ = conn_close_ || list_has_token(f.value, f.value_len, "close");
    conn_keep_alive_ = conn_keep_alive_ || list_has_token(f.value, f.value_len, "keep-alive");
  }
  return ParseError::kNone;
}

ResponseParser::Event ResponseParser::end_of_head() {
  if (status_ < 200) {  // 1xx interim response (100 Continue, 103...): skip it
    clear_head();
    state_ = State::kStatus;
    return Event::kNeedMore;
  }
  if (te_seen_ && !te_chunked_) return fail(ParseError::kBadTransferEncoding);
  keep_alive_ = minor_ >= 1 ? !conn_close_ : (conn_keep_alive_ && !conn_close_);
  if (head_request_ || status_ == 204 || status_ == 304) {
    body_ = Body::kNone;
    state_ = State::kComplete;
  } else if (te_seen_) {
    // Transfer-Encoding wins over Content-Length, but a message with both
    // (or chunked in HTTP/1.0) is suspect: never reuse the connection.
    if (cl_seen_ || minor_ == 0) keep_alive_ = false;
    body_ = Body::kChunked;
    state_ = State::kChunkSize;
    chunk_digits_ = 0;
    chunk_bws_ = false;
    remaining_ = 0;
    line_len_ = 0;
  } else if (cl_seen_) {
    body_ = Body::kLength;
    remaining_ = content_length_;
    state_ = remaining_ ? State::kBodyLength : State::kComplete;
  } else {
    body_ = Body::kUntilClose;
    keep_alive_ = false;
    state_ = State::kUntilClose;
  }
  head_done_ = true;
  return Event::kHead;
}

// A complete head line is in head_[line_start_, head_len_).
ResponseParser::Event ResponseParser::end_of_line() {
  char* line = head_ + line_start_;
  size_t len = head_len_ - line_start_;
  if (state_ == State::kFields && len == 0) return end_of_head();
  if (head_len_ >= head_cap_) return fail(ParseError::kHeadTooLarge);
  head_[head_len_++] = 0;
  line_start_ = head_len_;
  if (state_ == State::kStatus) {
    if (!parse_status_line(line, len)) return fail(error_);
    state_ = State::kFields;
    return Event::kNeedMore;
  }
  ParseError e = parse_field_line(line, len);
  return e == ParseError::kNone ? Event::kNeedMore : fail(e);
}

ResponseParser::Event ResponseParser::head_byte(char c) {
  if (cr_) {
    cr_ = false;
    if (c != '\n') return fail(ParseError::kBadHeader);  // bare CR
    return end_of_line();
  }
  if (c == '\r') {
    cr_ = true;
    return Event::kNeedMore;
  }
  if (c == '\n') return end_of_line();
  if (head_len_ + 2 > head_cap_) return fail(ParseError::kHeadTooLarge);  // + the line's NUL
  head_[head_len_++] = c;
  return Event::kNeedMore;
}

// Chunk-size lines, chunk terminators and trailers; none of it is stored.
ResponseParser::Event ResponseParser::chunk_byte(char c) {
  bool eol = false;
  if (cr_) {
    cr_ = false;
    if (c != '\n') return fail(ParseError::kBadChunk);
    eol = true;
  } else if (c == '\r') {
    cr_ = true;
    return Event::kNeedMore;
  } else if (c == '\n') {
    eol = true;
  }
  switch (state_) {
    case State::kChunkSize:
    case State::kChunkExt:
      if (!eol) {
        if (++line_len_ > kMaxChunkLine) return fail(ParseError::kChunkLineTooLong);
        if (state_ == State::kChunkSize) {
          int h = hex_value(c);
          if (h >= 0 && !chunk_bws_) {
            if (++chunk_digits_ > 15) return fail(ParseError::kBadChunk);  // < 2^60
            remaining_ = remaining_ * 16 + static_cast<uint64_t>(h);
            return Event::kNeedMore;
          }
          // After the size: optional whitespace, then ';' and extensions.
          if (chunk_digits_ == 0 || (c != ';' && !is_ows(c))) return fail(ParseError::kBadChunk);
          if (is_ows(c)) {
            chunk_bws_ = true;
            return Event::kNeedMore;
          }
          state_ = State::kChunkExt;
        } else if (!is_text(c)) {
          return fail(ParseError::kBadChunk);
        }
        return Event::kNeedMore;
      }
      if (chunk_digits_ == 0) return fail(ParseError::kBadChunk);
      line_len_ = 0;
      chunk_digits_ = 0;
      chunk_bws_ = false;
      if (remaining_ == 0) {
        state_ = State::kTrailers;
      } else {
        state_ = State::kChunkData;
      }
      return Event::kNeedMore;
    case State::kChunkDataEnd:
      if (!eol) return fail(ParseError::kBadChunk);
      state_ = State::kChunkSize;
      return Event::kNeedMore;
    case State::kTrailers:
      if (++trailer_bytes_ > head_cap_) return fail(ParseError::kTrailersTooLarge);
      if (!eol) {
        if (!is_text(c)) return fail(ParseError::kBadHeader);
        line_len_++;
        return Event::kNeedMore;
      }
      if (line_len_ == 0) {
        state_ = State::kComplete;
        return Event::kNeedMore;
      }
      line_len_ = 0;
      return Event::kNeedMore;
    default:
      return fail(ParseError::kBadChunk);
  }
}

ResponseParser::Result ResponseParser::feed(const uint8_t* data, size_t len) {
  size_t i = 0;
  for (;;) {
    switch (state_) {
      case State::kFailed:
        return Result{Event::kError, i};
      case State::kComplete:
        return Result{Event::kDone, i};
      case State::kBodyLength:
      case State::kChunkData:
      case State::kUntilClose: {
        if (i == len) return Result{Event::kNeedMore, i};
        size_t take = len - i;
        if (state_ != State::kUntilClose) {
          if (take > remaining_) take = static_cast<size_t>(remaining_);
          remaining_ -= take;
          if (remaining_ == 0) state_ = state_ == State::kChunkData ? State::kChunkDataEnd : State::kComplete;
        }
        bytes_ += take;
        return Result{Event::kBody, i + take, data + i, take};
      }
      default: {
        if (i == len) return Result{Event::kNeedMore, i};
        char c = static_cast<char>(data[i++]);
        bytes_++;
        Event e = state_ <= State::kFields ? head_byte(c) : chunk_byte(c);
        if (e != Event::kNeedMore) return Result{e, i};
      }
    }
  }
}

ResponseParser::Result ResponseParser::finish() {
  if (state_ == State::kUntilClose) {
    state_ = State::kComplete;
    keep_alive_ = false;
  }
  if (state_ == State::kComplete) return Result{Event::kDone, 0};
  fail(ParseError::kTruncated);
  return Result{Event::kError, 0};
}

}  // namespace mcujs::net::http
