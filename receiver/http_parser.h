// A strict HTTP/1.1 request parser (RFC 9112) on Boost.Beast's basic_parser:
// Beast does the tokenizing; we refuse every framing shape that two parsers
// could read differently (request smuggling): a second Content-Length (even
// an equal one), a Content-Length that is not 1*DIGIT, a Transfer-Encoding
// other than exactly "chunked", both together, a POST/PUT without a length.
// Beast itself refuses a space before the colon, bare LF, chunk sizes that
// are not 1*HEXDIG and chunk data without its CRLF.
#pragma once
#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>

#include "http_message.h"

namespace mcujs_receiver::http {

struct ParserLimits {
  size_t header_bytes = 16 * 1024;  // request line + fields
  size_t header_count = 64;
  size_t max_body = 4096;
};

// Why a request was refused (the answer's status and the log's reason).
struct ParseFailure {
  int status = 400;
  const char* why = "";
};

class RequestParser : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(const ParserLimits& limits);
  // The request so far (complete once is_done()).
  Request& request() { return req_; }
  // After an error from put(): the status to answer with and why.
  ParseFailure failure(const boost::beast::error_code& ec) const;

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  void on_request_impl(boost::beast::http::verb, string_view method, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code& ec) override;
  void on_field_impl(boost::beast::http::field f, string_view name, string_view value, error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override;
  size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;
  void refuse(error_code& ec, int status, const char* why);

  ParserLimits limits_;
  Request req_;
  size_t fields_ = 0;
  bool has_length_ = false, has_te_ = false;
  ParseFailure own_;  // set when we (not Beast) refused
  bool refused_ = false;
};

}  // namespace mcujs_receiver::http
