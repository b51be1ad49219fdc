// net/http_response: the incremental response parser, fed whole, in odd-sized
// pieces and one byte at a time; framing, keep-alive, malformed input, limits.
#include "net/http/response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace mcujs::net::http;
using Event = ResponseParser::Event;
using Body = ResponseParser::Body;

namespace {

struct Outcome {
  bool head = false;
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  bool done = false;
  ParseError error = ParseError::kNone;
  size_t leftover = 0;
  bool keep_alive = false;
  Body framing = Body::kNone;
  int body_events = 0;

  bool operator==(const Outcome& o) const {
    return head == o.head && status == o.status && reason == o.reason && fields == o.fields && body == o.body &&
           done == o.done && error == o.error && leftover == o.leftover && keep_alive == o.keep_alive &&
           framing == o.framing;
  }
};

struct Parser {
  explicit Parser(size_t head_cap = 1024, size_t max_fields = 16)
      : head(head_cap), fields(max_fields), p(head.data(), head.size(), fields.data(), fields.size()) {}
  std::vector<char> head;
  std::vector<Field> fields;
  ResponseParser p;
};

// Feeds input in pieces of `chunk` bytes (0: all at once); eof: then finish().
Outcome run(const std::string& input, size_t chunk, bool head_request = false, bool eof = false,
            Parser* parser = nullptr) {
  Parser local;
  ResponseParser& p = parser ? parser->p : local.p;
  p.reset(head_request);
  Outcome o;
  size_t pos = 0;
  auto on = [&](const ResponseParser::Result& r) {
    switch (r.event) {
      case Event::kHead:
        o.head = true;
        o.status = p.status();
        o.reason = p.reason();
        o.framing = p.body();
        for (size_t i = 0; i < p.field_count(); i++)
          o.fields.emplace_back(std::string(p.field(i).name, p.field(i).name_len),
                                std::string(p.field(i).value, p.field(i).value_len));
        break;
      case Event::kBody:
        EXPECT_GT(r.len, 0u);
        o.body.append(reinterpret_cast<const char*>(r.data), r.len);
        o.body_events++;
        break;
      case Event::kDone:
        o.done = true;
        o.keep_alive = p.keep_alive();
        break;
      case Event::kError:
        o.error = p.error();
        break;
      case Event::kNeedMore:
        break;
    }
  };
  while (pos < input.size() && !o.done && o.error == ParseError::kNone) {
    size_t n = chunk ? std::min(chunk, input.size() - pos) : input.size() - pos;
    const auto* d = reinterpret_cast<const uint8_t*>(input.data() + pos);
    size_t off = 0;
    for (int guard = 0; guard < 100000; guard++) {
      auto r = p.feed(d + off, n - off);
      EXPECT_LE(r.consumed, n - off);
      off += r.consumed;
      on(r);
      if (r.event == Event::kNeedMore) {
        EXPECT_EQ(off, n);
        break;
      }
      if (r.event == Event::kDone || r.event == Event::kError) break;
    }
    pos += off;
    if (o.done) o.leftover = input.size() - pos;
  }
  if (!o.done && o.error == ParseError::kNone) {
    // All input consumed: a message that needs no more bytes is done now.
    auto r = p.feed(nullptr, 0);
    on(r);
    if (!o.done && eof) on(p.finish());
  }
  return o;
}

// The same outcome whatever the piece size.
Outcome run_all(const std::string& input, bool head_request = false, bool eof = false) {
  Outcome whole = run(input, 0, head_request, eof);
  for (size_t chunk : {1, 2, 3, 5, 7, 64}) {
    Outcome o = run(input, chunk, head_request, eof);
    EXPECT_TRUE(o == whole) << "chunk " << chunk << " differs for: " << input;
  }
  return whole;
}

}  // namespace

TEST(HttpResponse, ContentLengthBody) {
  Outcome o = run_all("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_TRUE(o.head);
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.reason, "OK");
  ASSERT_EQ(o.fields.size(), 2u);
  EXPECT_EQ(o.fields[0].first, "Content-Type");
  EXPECT_EQ(o.fields[0].second, "text/plain");
  EXPECT_EQ(o.framing, Body::kLength);
  EXPECT_EQ(o.body, "hello");
  EXPECT_TRUE(o.done);
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(o.leftover, 0u);
}

TEST(HttpResponse, BodyIsZeroCopySlices) {
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
  Outcome o = run(in, 0);
  EXPECT_EQ(o.body_events, 1);
  EXPECT_EQ(o.body, "0123456789");
}

TEST(HttpResponse, LeftoverBytesAfterMessage) {
  Outcome o = run_all("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.body, "ok");
  EXPECT_EQ(o.leftover, strlen("HTTP/1.1 200 OK\r\n"));
}

TEST(HttpResponse, ZeroLengthAndNoBodyStatuses) {
  Outcome o = run_all("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.body, "");
  EXPECT_TRUE(o.keep_alive);
  for (const char* s : {"HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
                        "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
    o = run_all(s);
    EXPECT_TRUE(o.done) << s;
    EXPECT_EQ(o.framing, Body::kNone);
    EXPECT_TRUE(o.keep_alive);
  }
  // HEAD: Content-Length describes the GET body, which is not sent.
  o = run_all("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", true);
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.body, "");
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(o.leftover, 0u);
}

TEST(HttpResponse, Chunked) {
  Outcome o = run_all(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n"
      "1;name=value;quoted=\"a;b\"\r\n,\r\n"
      "0006 \t ; ext\r\n world\r\n"
      "A\r\n0123456789\r\n"
      "0\r\nX-Trailer: 1\r\nX-Other: two\r\n\r\n");
  EXPECT_EQ(o.framing, Body::kChunked);
  EXPECT_EQ(o.body, "hello, world0123456789");
  EXPECT_TRUE(o.done);
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(o.leftover, 0u);
}

TEST(HttpResponse, ChunkedBareLfAndCaseInsensitiveCoding) {
  Outcome o = run_all("HTTP/1.1 200 OK\nTransfer-Encoding: Chunked\n\n3\nabc\n0\n\n");
  EXPECT_EQ(o.body, "abc");
  EXPECT_TRUE(o.done);
}

TEST(HttpResponse, ChunkedLeftoverAndEmpty) {
  Outcome o = run_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nXY");
  EXPECT_EQ(o.body, "");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.leftover, 2u);
}

TEST(HttpResponse, ChunkedWinsOverContentLengthButClosesConnection) {
  Outcome o = run_all(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  EXPECT_EQ(o.body, "ok");
  EXPECT_TRUE(o.done);
  EXPECT_FALSE(o.keep_alive);
}

TEST(HttpResponse, ChunkedErrors) {
  const char* head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const char* body : {"x\r\n", "\r\n", ";ext\r\n", "5\r\nhelloX", "5\r\nhello\rX", "5 x\r\n", "5 5\r\n",
                           "1000000000000000\r\n", "-1\r\n", "5\rX"}) {
    Outcome o = run_all(std::string(head) + body);
    EXPECT_EQ(o.error, ParseError::kBadChunk) << body;
    EXPECT_FALSE(o.done);
  }
  Outcome o = run_all(std::string(head) + "5;" + std::string(2000, 'e') + "\r\n");
  EXPECT_EQ(o.error, ParseError::kChunkLineTooLong);
  o = run_all(std::string(head) + "0\r\nX: " + std::string(5000, 't') + "\r\n\r\n");
  EXPECT_EQ(o.error, ParseError::kTrailersTooLarge);
  o = run_all(std::string(head) + "0\r\nX: \x01\r\n\r\n");
  EXPECT_EQ(o.error, ParseError::kBadHeader);
  // The largest accepted chunk size parses (15 hex digits).
  o = run_all(std::string(head) + "fffffffffffffff\r\nabc");
  EXPECT_EQ(o.error, ParseError::kNone);
  EXPECT_EQ(o.body, "abc");
}

TEST(HttpResponse, TransferEncodingOtherThanChunkedRefused) {
  for (const char* te : {"gzip", "gzip, chunked", "chunked, gzip", "chunked, chunked", "identity", ""}) {
    Outcome o = run_all(std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: ") + te + "\r\n\r\n");
    EXPECT_EQ(o.error, ParseError::kBadTransferEncoding) << te;
  }
  Outcome o = run_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n");
  EXPECT_EQ(o.error, ParseError::kBadTransferEncoding);
  o = run_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: ,chunked,\r\n\r\n0\r\n\r\n");
  EXPECT_TRUE(o.done);
}

TEST(HttpResponse, ReadUntilClose) {
  std::string in = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>all of it</html>";
  Outcome o = run_all(in);  // no EOF yet: not done
  EXPECT_EQ(o.framing, Body::kUntilClose);
  EXPECT_FALSE(o.done);
  EXPECT_EQ(o.error, ParseError::kNone);
  EXPECT_EQ(o.body, "<html>all of it</html>");
  o = run_all(in, false, true);
  EXPECT_TRUE(o.done);
  EXPECT_FALSE(o.keep_alive);
  EXPECT_EQ(o.body, "<html>all of it</html>");
}

TEST(HttpResponse, TruncatedAtEof) {
  for (const char* in : {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "HTTP/1.1 200 OK\r\nConte",
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"}) {
    Outcome o = run_all(in, false, true);
    EXPECT_EQ(o.error, ParseError::kTruncated) << in;
    EXPECT_FALSE(o.done);
  }
  Parser p;
  p.p.reset();
  EXPECT_FALSE(p.p.started());
  EXPECT_EQ(p.p.finish().event, Event::kError);
  EXPECT_EQ(p.p.error(), ParseError::kTruncated);
}

TEST(HttpResponse, KeepAliveDecision) {
  struct Case {
    const char* in;
    bool keep;
  } cases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true},
      {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.1 200 OK\r\nConnection: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", true},
      {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false},
      {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true},
      {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false},
      {"HTTP/1.1 200 OK\r\n\r\n", false},  // read until close (finished by EOF below)
  };
  for (const Case& c : cases) {
    Outcome o = run_all(c.in, false, true);
    EXPECT_TRUE(o.done) << c.in;
    EXPECT_EQ(o.keep_alive, c.keep) << c.in;
  }
}

TEST(HttpResponse, InterimResponsesAreSkipped) {
  Outcome o = run_all(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.reason, "Created");
  ASSERT_EQ(o.fields.size(), 1u);
  EXPECT_EQ(o.fields[0].first, "Content-Length");
  EXPECT_EQ(o.body, "ok");
  EXPECT_TRUE(o.done);
}

TEST(HttpResponse, StatusLineVariants) {
  Outcome o = run_all("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(o.status, 404);
  EXPECT_EQ(o.reason, "");
  o = run_all("HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(o.status, 500);
  EXPECT_EQ(o.reason, "");
  o = run_all("HTTP/1.1 200 Everything  is\tfine \xc3\xa9\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(o.reason, "Everything  is\tfine \xc3\xa9");
  o = run_all("HTTP/1.0 200 OK\r\n\r\nbody", false, true);
  EXPECT_EQ(o.body, "body");
}

TEST(HttpResponse, MalformedStatusLines) {
  struct Case {
    const char* in;
    ParseError e;
  } cases[] = {
      {"HTTP/2 200 OK\r\n", ParseError::kBadVersion},
      {"HTTP/2.0 200 OK\r\n", ParseError::kBadVersion},
      {"HTTP/1.1  200 OK\r\n", ParseError::kBadStatusLine},
      {"http/1.1 200 OK\r\n", ParseError::kBadStatusLine},
      {"<html>hello</html>\r\n", ParseError::kBadStatusLine},
      {"\r\n", ParseError::kBadStatusLine},
      {"HTTP/1.1 2000 OK\r\n", ParseError::kBadStatusLine},
      {"HTTP/1.1 20 OK\r\n", ParseError::kBadStatusLine},
      {"HTTP/1.1 abc OK\r\n", ParseError::kBadStatusLine},
      {"HTTP/1.1 200 O\x01K\r\n", ParseError::kBadStatusLine},
      {"HTTP/1.1 099 Low\r\n", ParseError::kBadStatus},
      {"HTTP/1.1 600 High\r\n", ParseError::kBadStatus},
      {"HTTP/1.1 101 Switching Protocols\r\n", ParseError::kBadStatus},
      {"HTTP/1.1 200 OK\rX", ParseError::kBadHeader},
  };
  for (const Case& c : cases) {
    Outcome o = run_all(c.in);
    EXPECT_EQ(o.error, c.e) << c.in;
    EXPECT_FALSE(o.head) << c.in;
  }
}

TEST(HttpResponse, MalformedFields) {
  for (const char* line : {"No-Colon", "Bad Name: x", "Name : x", ": empty-name", " folded: x",
                           "\tfolded: x", "X: a\x01", "X: a\x7f", "X\x80: v"}) {
    Outcome o = run_all(std::string("HTTP/1.1 200 OK\r\n") + line + "\r\n\r\n");
    EXPECT_EQ(o.error, ParseError::kBadHeader) << line;
    EXPECT_FALSE(o.head);
  }
  // Obsolete line folding after a valid field is refused too.
  Outcome o = run_all("HTTP/1.1 200 OK\r\nX: a\r\n  b\r\n\r\n");
  EXPECT_EQ(o.error, ParseError::kBadHeader);
}

TEST(HttpResponse, FieldValuesTrimmedAndLookup) {
  Parser parser;
  Outcome o = run("HTTP/1.1 200 OK\r\nX-A:   padded \t \r\nX-Empty:\r\nx-a: second\r\nContent-Length: 0\r\n\r\n", 1,
                  false, false, &parser);
  ASSERT_TRUE(o.done);
  ASSERT_EQ(o.fields.size(), 4u);
  EXPECT_EQ(o.fields[0].second, "padded");
  EXPECT_EQ(o.fields[1].second, "");
  const Field* f = parser.p.find("x-a");
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(f->value, "padded");  // NUL-terminated in the head buffer
  EXPECT_STREQ(f->name, "X-A");
  EXPECT_EQ(parser.p.find("X-MISSING"), nullptr);
  EXPECT_NE(parser.p.find("CONTENT-LENGTH"), nullptr);
}

TEST(HttpResponse, ContentLengthRules) {
  Outcome o = run_all("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(o.body, "abc");
  EXPECT_TRUE(o.done);
  o = run_all("HTTP/1.1 200 OK\r\nContent-Length: 000\r\n\r\n");
  EXPECT_TRUE(o.done);
  for (const char* cl : {"3, 4", "-1", "+3", "0x10", "", "3 3", "1e3", ",", "3,", "1000000000000000001",
                         "99999999999999999999"}) {
    o = run_all(std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + cl + "\r\n\r\n");
    EXPECT_EQ(o.error, ParseError::kBadContentLength) << cl;
  }
  o = run_all("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n");
  EXPECT_EQ(o.error, ParseError::kBadContentLength);
  // Largest accepted value: the parser reports it, the caller enforces limits.
  Parser parser;
  o = run("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000000\r\n\r\n", 0, false, false, &parser);
  EXPECT_TRUE(o.head);
  EXPECT_EQ(parser.p.content_length(), 1000000000000000000ull);
}

TEST(HttpResponse, HeadLimits) {
  // The head buffer holds each line plus a NUL.
  std::string status = "HTTP/1.1 200 OK\r\n";
  std::string field = "X: " + std::string(40, 'v') + "\r\n";
  {
    Parser p(256, 16);
    Outcome o = run(status + field + field + field + field + "Content-Length: 0\r\n\r\n", 1, false, false, &p);
    EXPECT_EQ(o.error, ParseError::kNone);
    EXPECT_TRUE(o.done);
  }
  {
    Parser p(150, 16);
    Outcome o = run(status + field + field + field + field + "\r\n", 1, false, false, &p);
    EXPECT_EQ(o.error, ParseError::kHeadTooLarge);
    EXPECT_FALSE(o.head);
  }
  {
    Parser p(4096, 3);
    Outcome o = run(status + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", 0, false, true, &p);
    EXPECT_TRUE(o.done);
    o = run(status + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 0, false, false, &p);
    EXPECT_EQ(o.error, ParseError::kTooManyHeaders);
  }
  {
    // A head that fills the buffer exactly, ending with the empty line.
    std::string in = "HTTP/1.1 200 OK\r\n\r\n";  // 15 chars + NUL
    Parser p(16, 1);
    Outcome o = run(in, 1, false, true, &p);
    EXPECT_TRUE(o.done);
    Parser q(15, 1);
    o = run(in, 1, false, true, &q);
    EXPECT_EQ(o.error, ParseError::kHeadTooLarge);
  }
  {
    // An endless status line is stopped at the limit, not buffered.
    Parser p(64, 4);
    Outcome o = run("HTTP/1.1 200 " + std::string(10000, 'x'), 7, false, false, &p);
    EXPECT_EQ(o.error, ParseError::kHeadTooLarge);
  }
}

TEST(HttpResponse, ErrorsAreSticky) {
  Parser parser;
  Outcome o = run("HTTP/9.9 200 OK\r\n", 0, false, false, &parser);
  EXPECT_EQ(o.error, ParseError::kBadVersion);
  const uint8_t more[] = "HTTP/1.1 200 OK\r\n";
  auto r = parser.p.feed(more, sizeof more - 1);
  EXPECT_EQ(r.event, Event::kError);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_EQ(parser.p.finish().event, Event::kError);
  EXPECT_EQ(parser.p.error(), ParseError::kBadVersion);
  EXPECT_STRNE(parse_error_message(parser.p.error()), "");
}

TEST(HttpResponse, ResetReusesTheParser) {
  Parser parser;
  Outcome a = run("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", 1, false, false, &parser);
  EXPECT_TRUE(a.done);
  Outcome b = run("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n", 1, false,
                  false, &parser);
  EXPECT_TRUE(b.done);
  EXPECT_EQ(b.status, 404);
  EXPECT_EQ(b.body, "b");
  EXPECT_EQ(b.fields.size(), 1u);
  Outcome c = run("garbage\r\n", 0, false, false, &parser);
  EXPECT_EQ(c.error, ParseError::kBadStatusLine);
  Outcome d = run("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nd", 0, false, false, &parser);
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.body, "d");
}

TEST(HttpResponse, DoneIsIdempotent) {
  Parser parser;
  Outcome o = run("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, false, false, &parser);
  ASSERT_TRUE(o.done);
  const uint8_t x[] = "x";
  auto r = parser.p.feed(x, 1);
  EXPECT_EQ(r.event, Event::kDone);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_EQ(parser.p.finish().event, Event::kDone);
}

TEST(HttpResponse, LargeBodyStreamsInPieces) {
  std::string body(100000, 'z');
  for (size_t i = 0; i < body.size(); i += 97) body[i] = static_cast<char>('a' + i % 26);
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + body;
  Outcome o = run(in, 1460);
  EXPECT_EQ(o.body, body);
  EXPECT_TRUE(o.done);
  // The same body chunked with random-ish chunk sizes.
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  size_t pos = 0, step = 1;
  while (pos < body.size()) {
    size_t n = std::min(step, body.size() - pos);
    char hex[32];
    snprintf(hex, sizeof hex, "%zx\r\n", n);
    chunked += hex + body.substr(pos, n) + "\r\n";
    pos += n;
    step = step * 3 % 4099 + 1;
  }
  chunked += "0\r\n\r\n";
  Outcome c = run(chunked, 1);
  EXPECT_EQ(c.body, body);
  EXPECT_TRUE(c.done);
  Outcome c2 = run(chunked, 1000);
  EXPECT_EQ(c2.body, body);
}

// Mutated responses in random pieces: whatever the input, the parser stays
// within its buffers, consumes what it is given, reports the head at most
// once and ends in kDone or kError or waits for more.
TEST(HttpResponse, SurvivesMutatedInput) {
  const std::string seeds[] = {
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
      "HTTP/1.0 404 Not Found\r\n\r\nbody until close",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
  };
  uint32_t rng = 12345;
  auto next = [&rng]() {
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
  };
  const char specials[] = {'\r', '\n', ':', ' ', '\0', '0', 'f', ';', '\x80', '\t'};
  for (int round = 0; round < 3000; round++) {
    std::string in = seeds[next() % 4];
    for (uint32_t m = next() % 4; m > 0; m--) {
      size_t at = next() % in.size();
      switch (next() % 3) {
        case 0: in[at] = specials[next() % sizeof specials]; break;
        case 1: in.insert(at, 1, specials[next() % sizeof specials]); break;
        default: in.erase(at, 1 + next() % 3); break;
      }
      if (in.empty()) in = "H";
    }
    Parser parser(64 + next() % 128, 1 + next() % 4);
    ResponseParser& p = parser.p;
    p.reset(next() % 5 == 0);
    int heads = 0;
    bool end = false;
    size_t pos = 0;
    for (int guard = 0; guard < 10000 && !end && pos < in.size(); guard++) {
      size_t n = std::min<size_t>(1 + next() % 9, in.size() - pos);
      auto r = p.feed(reinterpret_cast<const uint8_t*>(in.data() + pos), n);
      ASSERT_LE(r.consumed, n);
      pos += r.consumed;
      if (r.event == Event::kHead) heads++;
      if (r.event == Event::kBody) {
        ASSERT_TRUE(r.len > 0 && r.len <= r.consumed);
      }
      end = r.event == Event::kDone || r.event == Event::kError;
      if (r.event == Event::kNeedMore) {
        ASSERT_EQ(r.consumed, n);
      }
    }
    EXPECT_LE(heads, 1) << in;
    if (!end) {
      auto r = p.finish();
      EXPECT_TRUE(r.event == Event::kDone || r.event == Event::kError);
    }
    if (p.error() != ParseError::kNone) {
      EXPECT_FALSE(p.keep_alive());
    }
  }
}
