#include "http_parser.h"

#include <boost/beast/http/error.hpp>

namespace mcujs_receiver::http {

namespace bhttp = boost::beast::http;

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {
  header_limit(static_cast<std::uint32_t>(limits.header_bytes));
  body_limit(static_cast<std::uint64_t>(limits.max_body));
}

void RequestParser::refuse(error_code& ec, int status, const char* why) {
  own_ = {status, why};
  refused_ = true;
  ec = bhttp::error::bad_value;
}

ParseFailure RequestParser::failure(const error_code& ec) const {
  if (refused_) return own_;
  if (ec == bhttp::error::header_limit) return {431, "request head larger than the limit"};
  if (ec == bhttp::error::body_limit) return {413, "body larger than max_body"};
  if (ec == bhttp::error::bad_content_length) return {400, "bad Content-Length"};
  if (ec == bhttp::error::bad_transfer_encoding) return {400, "bad Transfer-Encoding"};
  if (ec == bhttp::error::bad_chunk || ec == bhttp::error::bad_chunk_extension) return {400, "bad chunk"};
  if (ec == bhttp::error::bad_field || ec == bhttp::error::bad_value) return {400, "bad header field"};
  if (ec == bhttp::error::bad_line_ending) return {400, "bad line ending"};
  if (ec == bhttp::error::bad_version) return {400, "bad HTTP version"};
  return {400, "malformed request"};
}

void RequestParser::on_request_impl(bhttp::verb, string_view method, string_view target, int version,
                                    error_code& ec) {
  if (version != 11 && version != 10) return refuse(ec, 400, "HTTP version not 1.0 or 1.1");
  if (target.empty() || target[0] != '/') return refuse(ec, 400, "request target not an absolute path");
  req_.method.assign(method.data(), method.size());
  req_.target.assign(target.data(), target.size());
  req_.version = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) { ec = bhttp::error::bad_method; }

void RequestParser::on_field_impl(bhttp::field f, string_view name, string_view value, error_code& ec) {
  if (++fields_ > limits_.header_count) return refuse(ec, 431, "more header fields than the limit");
  if (f == bhttp::field::content_length) {
    // 1*DIGIT only, once (Beast would take "3, 3" and a repeated equal value).
    if (has_length_) return refuse(ec, 400, "Content-Length twice");
    if (value.empty() || value.size() > 18) return refuse(ec, 400, "bad Content-Length");
    for (char c : value)
      if (c < '0' || c > '9') return refuse(ec, 400, "bad Content-Length");
    has_length_ = true;
  } else if (f == bhttp::field::transfer_encoding) {
    // Only "chunked" (nothing else is useful to a device; anything else
    // would leave the body's end to guesswork).
    if (has_te_) return refuse(ec, 400, "Transfer-Encoding twice");
    if (!iequals({value.data(), value.size()}, "chunked")) return refuse(ec, 400, "Transfer-Encoding not chunked");
    has_te_ = true;
  }
  if (has_te_ && has_length_) return refuse(ec, 400, "Transfer-Encoding and Content-Length together");
  for (char c : value)  // obs-text is fine, control characters are not
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
      return refuse(ec, 400, "control character in a header field");
  req_.headers.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
}

void RequestParser::on_header_impl(error_code& ec) {
  const bool may_have_body = req_.method == "POST" || req_.method == "PUT" || req_.method == "PATCH";
  if (may_have_body && !has_length_ && !has_te_) return refuse(ec, 400, "body without Content-Length");
  if (!may_have_body && (has_length_ || has_te_) && !(content_length() && *content_length() == 0))
    return refuse(ec, 400, "body on a request that has none");
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) {
  if (length) req_.body.reserve(static_cast<size_t>(*length));
}

size_t RequestParser::on_body_impl(string_view body, error_code&) {
  req_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  req_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace mcujs_receiver::http
