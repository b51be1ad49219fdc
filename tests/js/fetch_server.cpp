// mcujs_http_test_server: a tiny single-threaded HTTP/1.1 server with canned
// routes for the fetch tests (tests/js/fetch_run.sh). Host-only test tool.
//
//   mcujs_http_test_server PORTFILE [LIFETIME_S]
//
// Listens on 127.0.0.1 on a free port, writes the port number to PORTFILE
// and serves until killed or LIFETIME_S (default 120) seconds have passed.
// poll()-based: many connections, keep-alive, and responses scheduled in
// time (for slow and delayed routes).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

uint64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

// A piece of output due at a time; close after it when asked.
struct Out {
  uint64_t at;
  std::string data;
  bool close_after;
};

struct Conn {
  int fd = -1;
  int id = 0;        // accept order, from 1
  int requests = 0;  // served on this connection
  std::string in;
  std::vector<Out> out;
  std::string sending;  // the due output being written
  bool closing = false;  // close once sending is empty
  bool hold = false;     // /slow: never answer, never read more
};

int g_accepted = 0;

struct Request {
  std::string method, target, path, query, version;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const char* name) const {
    for (auto& h : headers)
      if (strcasecmp(h.first.c_str(), name) == 0) return h.second;
    return "";
  }
};

std::string json_escape(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += static_cast<char>(c);
    } else if (c < 0x20) {
      char b[8];
      snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o + "\"";
}

std::string url_decode(const std::string& s) {
  std::string o;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '%' && i + 2 < s.size()) {
      o += static_cast<char>(strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
      i += 2;
    } else {
      o += s[i] == '+' ? ' ' : s[i];
    }
  }
  return o;
}

long query_num(const Request& r, const char* key, long def) {
  std::string k = std::string(key) + "=";
  size_t p = r.query.find(k);
  return p == std::string::npos ? def : strtol(r.query.c_str() + p + k.size(), nullptr, 10);
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 404: return "Not Found";
    case 418: return "I'm a teapot";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

std::string response(const Request& r, int status, const std::string& body, const std::string& extra = "",
                     const char* type = "text/plain") {
  std::string h = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  h += "Content-Type: " + std::string(type) + "\r\n" + extra;
  bool no_body = status == 204 || status == 304;
  if (!no_body) h += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  h += "\r\n";
  if (r.method != "HEAD" && !no_body) h += body;
  return h;
}

std::string chunk(const std::string& data, const std::string& ext = "") {
  char size[32];
  snprintf(size, sizeof size, "%zx", data.size());
  return size + ext + "\r\n" + data + "\r\n";
}

std::string pattern(long n) {
  std::string s(static_cast<size_t>(n), 'x');
  for (long i = 0; i < n; i++) s[static_cast<size_t>(i)] = static_cast<char>('a' + i % 26);
  return s;
}

// Routes. Queues the response on c (possibly in pieces over time).
void handle(Conn& c, const Request& r) {
  uint64_t t = now_ms();
  auto send = [&](const std::string& data, bool close_after = false, uint64_t delay = 0) {
    c.out.push_back(Out{t + delay, data, close_after});
  };
  bool close = strcasecmp(r.header("connection").c_str(), "close") == 0 || r.version == "HTTP/1.0";
  const std::string& p = r.path;
  c.requests++;
  if (p == "/hello") {
    send(response(r, 200, "hello world"), close);
  } else if (p == "/json") {
    send(response(r, 200, "{\"ok\":true,\"n\":42,\"s\":\"caf\xc3\xa9\",\"list\":[1,2,3]}", "",
                  "application/json"),
         close);
  } else if (p == "/bad-json") {
    send(response(r, 200, "{not json", "", "application/json"), close);
  } else if (p == "/bom") {
    send(response(r, 200, "\xEF\xBB\xBFhi \xE2\x9C\x93"), close);
  } else if (p == "/chunked") {
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
    if (r.method == "HEAD") return send(head, close);
    send(head + chunk("Hello, ", ";ext=1") + chunk("chunked ") + chunk("world!", ";a=\"b;c\"") +
             "0\r\nX-Trailer: yes\r\n\r\n",
         close);
  } else if (p == "/slow-chunks") {
    send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5; i++) send(chunk("part" + std::to_string(i) + ";"), false, 40u * (i + 1));
    send("0\r\n\r\n", close, 250);
  } else if (p == "/keepalive") {
    send(response(r, 200, "conn=" + std::to_string(c.id) + " req=" + std::to_string(c.requests)), close);
  } else if (p == "/conns") {
    send(response(r, 200, std::to_string(g_accepted)), close);
  } else if (p == "/slow") {
    c.hold = true;  // never answers
  } else if (p == "/delay") {
    send(response(r, 200, "late"), close, static_cast<uint64_t>(query_num(r, "ms", 1000)));
  } else if (p == "/big") {
    send(response(r, 200, pattern(query_num(r, "n", 1 << 20)), "", "application/octet-stream"), close);
  } else if (p == "/bigchunked") {
    std::string body = pattern(query_num(r, "n", 1 << 20)), out;
    out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (size_t i = 0; i < body.size(); i += 1000) out += chunk(body.substr(i, 1000));
    send(out + "0\r\n\r\n", close);
  } else if (p == "/close") {
    send(response(r, 200, "closing", "Connection: close\r\n"), true);
  } else if (p == "/idle-close") {
    send(response(r, 200, "bye later"), true);  // keep-alive framing, then the server closes
  } else if (p == "/http10") {
    send("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school", true);
  } else if (p == "/echo") {
    std::string j = "{\"method\":" + json_escape(r.method) + ",\"target\":" + json_escape(r.target) +
                    ",\"headers\":[";
    for (size_t i = 0; i < r.headers.size(); i++)
      j += (i ? "," : "") + std::string("[") + json_escape(r.headers[i].first) + "," +
           json_escape(r.headers[i].second) + "]";
    j += "],\"body\":" + json_escape(r.body) + "}";
    send(response(r, 200, j, "", "application/json"), close);
  } else if (p.rfind("/status/", 0) == 0) {
    int status = atoi(p.c_str() + 8);
    send(response(r, status, "status " + std::to_string(status)), close);
  } else if (p.rfind("/redirect/", 0) == 0) {
    int n = atoi(p.c_str() + 10);
    std::string loc = n > 0 ? "/redirect/" + std::to_string(n - 1) : "/hello";
    send(response(r, 302, "", "Location: " + loc + "\r\n"), close);
  } else if (p == "/redirect-to") {
    int status = static_cast<int>(query_num(r, "status", 302));
    size_t at = r.query.find("url=");
    std::string loc = at == std::string::npos ? "/" : url_decode(r.query.substr(at + 4));
    send(response(r, status, "", "Location: " + loc + "\r\n"), close);
  } else if (p == "/many-headers") {
    std::string extra;
    for (long i = 0; i < query_num(r, "n", 100); i++) extra += "X-H-" + std::to_string(i) + ": v\r\n";
    send(response(r, 200, "many", extra), close);
  } else if (p == "/cookies") {
    send(response(r, 200, "c", "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Multi: one\r\nX-Multi: two\r\n"), close);
  } else if (p == "/malformed") {
    send("HTTP/1.1 2OO OK\r\n\r\n", true);
  } else if (p == "/truncated") {
    send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", true);
  } else if (p == "/garbage") {
    send("this is not http\r\n\r\n", true);
  } else {
    send(response(r, 404, "not found"), close);
  }
}

// Parses complete requests out of c.in; false on a malformed request.
bool parse_requests(Conn& c) {
  while (!c.hold) {
    size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return c.in.size() < 65536;
    Request r;
    std::string head = c.in.substr(0, end);
    size_t line_end = head.find("\r\n");
    std::string line = head.substr(0, line_end);
    size_t s1 = line.find(' '), s2 = line.rfind(' ');
    if (s1 == std::string::npos || s2 == s1) return false;
    r.method = line.substr(0, s1);
    r.target = line.substr(s1 + 1, s2 - s1 - 1);
    r.version = line.substr(s2 + 1);
    size_t q = r.target.find('?');
    r.path = r.target.substr(0, q);
    r.query = q == std::string::npos ? "" : r.target.substr(q + 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string h = head.substr(pos, e - pos);
      size_t colon = h.find(':');
      if (colon == std::string::npos) return false;
      std::string v = h.substr(colon + 1);
      while (!v.empty() && v[0] == ' ') v.erase(0, 1);
      r.headers.emplace_back(h.substr(0, colon), v);
      pos = e + 2;
    }
    size_t len = static_cast<size_t>(atol(r.header("content-length").c_str()));
    if (c.in.size() < end + 4 + len) return true;  // body not complete yet
    r.body = c.in.substr(end + 4, len);
    c.in.erase(0, end + 4 + len);
    handle(c, r);
  }
  return true;
}

volatile sig_atomic_t g_stop = 0;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PORTFILE [LIFETIME_S]\n", argv[0]);
    return 2;
  }
  long lifetime = argc > 2 ? atol(argv[2]) : 120;
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, [](int) { g_stop = 1; });
  signal(SIGINT, [](int) { g_stop = 1; });

  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(lfd, 64) != 0) {
    perror("bind/listen");
    return 1;
  }
  socklen_t alen = sizeof a;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &alen);
  std::string tmp = std::string(argv[1]) + ".tmp";
  FILE* f = fopen(tmp.c_str(), "w");
  if (!f) return 1;
  fprintf(f, "%u\n", ntohs(a.sin_port));
  fclose(f);
  rename(tmp.c_str(), argv[1]);  // atomic: the driver never reads half a number

  std::vector<Conn> conns;
  uint64_t end_at = now_ms() + static_cast<uint64_t>(lifetime) * 1000;
  while (!g_stop && now_ms() < end_at) {
    std::vector<pollfd> pfds;
    pfds.push_back(pollfd{lfd, POLLIN, 0});
    uint64_t t = now_ms();
    int timeout = 200;
    for (Conn& c : conns) {
      // Move due output into the send buffer.
      while (!c.out.empty() && c.out.front().at <= t && c.sending.empty() && !c.closing) {
        c.sending = c.out.front().data;
        c.closing = c.out.front().close_after;
        c.out.erase(c.out.begin());
      }
      if (!c.out.empty() && c.out.front().at > t)
        timeout = std::min<int>(timeout, static_cast<int>(c.out.front().at - t));
      short ev = c.hold ? 0 : POLLIN;
      if (!c.sending.empty()) ev |= POLLOUT;
      pfds.push_back(pollfd{c.fd, ev, 0});
    }
    if (poll(pfds.data(), pfds.size(), timeout) < 0 && errno != EINTR) break;
    if (pfds[0].revents & POLLIN) {
      int fd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        Conn c;
        c.fd = fd;
        c.id = ++g_accepted;
        conns.push_back(c);
      }
    }
    for (size_t i = 1; i < pfds.size(); i++) {
      Conn& c = conns[i - 1];
      bool dead = false;
      if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[16384];
        ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
          c.in.append(buf, static_cast<size_t>(n));
          if (!parse_requests(c)) dead = true;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          dead = c.sending.empty();  // the client is gone (or half-closed)
          if (n == 0 && c.hold) dead = true;
        }
      }
      if (!dead && (pfds[i].revents & POLLOUT) && !c.sending.empty()) {
        ssize_t n = send(c.fd, c.sending.data(), c.sending.size(), MSG_NOSIGNAL);
        if (n > 0) c.sending.erase(0, static_cast<size_t>(n));
        else if (errno != EAGAIN && errno != EINTR) dead = true;
      }
      if (!dead && c.closing && c.sending.empty()) dead = true;
      if (dead) {
        close(c.fd);
        c.fd = -1;
      }
    }
    for (size_t i = conns.size(); i-- > 0;)
      if (conns[i].fd < 0) conns.erase(conns.begin() + static_cast<long>(i));
  }
  for (Conn& c : conns) close(c.fd);
  close(lfd);
  return 0;
}
