// Fuzzes the receiver's strict HTTP/1.1 request parser (receiver/http_parser.cpp,
// on Beast's basic_parser): the input, split in two at a point chosen by its
// first byte, is fed as the server feeds it (put() until need_more, the rest
// later). Invariants: no crash or leak; a finished request respects the
// limits (body <= max_body, <= 64 fields); a refusal maps to 400/413/431.
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http_parser.h"

using mcujs_receiver::http::ParserLimits;
using mcujs_receiver::http::RequestParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ParserLimits limits;
  limits.max_body = 256;
  RequestParser p(limits);
  p.eager(true);
  const std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t split = in.empty() ? 0 : data[0] % (in.size() + 1);
  std::string buf;
  for (const std::string& piece : {in.substr(0, split), in.substr(split)}) {
    buf += piece;
    while (!buf.empty() && !p.is_done()) {
      boost::beast::error_code ec;
      size_t used = p.put(boost::asio::buffer(buf), ec);
      buf.erase(0, used);
      if (ec == boost::beast::http::error::need_more) break;
      if (ec) {
        int st = p.failure(ec).status;
        if (st != 400 && st != 413 && st != 431) abort();
        return 0;
      }
      if (used == 0) break;
    }
  }
  if (p.is_done()) {
    if (p.request().body.size() > limits.max_body) abort();
    if (p.request().headers.size() > limits.header_count) abort();
  }
  return 0;
}
