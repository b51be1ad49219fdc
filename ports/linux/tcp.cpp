// BSD sockets behind port::Tcp and port::Poller.
//
// Resolution uses getaddrinfo(3), which blocks; acceptable on the desktop
// simulator (documented in docs/ports.md). Every address returned is tried in
// order (IPv6 first when the resolver says so), so "localhost" works whether a
// server listens on ::1 or 127.0.0.1.
//
// wait() is edge-like: it watches a socket for reading or writing only after a
// read/write/accept on it returned kWouldBlock, so a socket whose data the
// script has not consumed yet does not make the loop spin.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

#include "ports/linux/linux_port.h"

namespace mcujs::linux_port {

using port::ConnectState;
using port::SocketId;

struct LinuxTcp::Slot {
  int fd = -1;
  bool used = false;
  bool listening = false;
  ConnectState st = ConnectState::kFailed;
  int32_t err = 0;
  bool want_read = false;
  bool want_write = false;
  addrinfo* addrs = nullptr;  // remaining candidates while connecting
  addrinfo* next = nullptr;
};

static int32_t map_errno(int e) {
  switch (e) {
    case EAGAIN: return port::kWouldBlock;
    case ECONNRESET: case EPIPE: return port::kReset;
    case ECONNREFUSED: return port::kRefused;
    case ENETUNREACH: case EHOSTUNREACH: case EADDRNOTAVAIL: return port::kUnreachable;
    case ETIMEDOUT: return port::kTimeout;
    case ENOMEM: case ENOBUFS: return port::kNoMemory;
    case EADDRINUSE: return port::kAddressInUse;
    default: return port::kIo;
  }
}

static bool set_nonblocking(int fd) {
  int fl = fcntl(fd, F_GETFL, 0);
  return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

LinuxTcp::LinuxTcp() : slots_(new (std::nothrow) Slot[kMaxSockets]) {}

LinuxTcp::~LinuxTcp() {
  if (!slots_) return;
  for (int i = 0; i < kMaxSockets; i++) close(i);
  delete[] slots_;
}

LinuxTcp::Slot* LinuxTcp::slot(SocketId s) {
  if (!slots_ || s < 0 || s >= kMaxSockets || !slots_[s].used) return nullptr;
  return &slots_[s];
}

int32_t LinuxTcp::alloc(SocketId* out) {
  if (!slots_) return port::kNoMemory;
  for (int i = 0; i < kMaxSockets; i++) {
    if (!slots_[i].used) {
      slots_[i] = Slot{};
      slots_[i].used = true;
      *out = i;
      return port::kOk;
    }
  }
  return port::kNoMemory;
}

int LinuxTcp::open_count() const {
  int n = 0;
  for (int i = 0; slots_ && i < kMaxSockets; i++) n += slots_[i].used ? 1 : 0;
  return n;
}

// Starts a non-blocking connect to the next candidate address.
int32_t LinuxTcp::try_next_address(Slot& sl) {
  int32_t last = sl.err ? sl.err : port::kUnreachable;
  while (sl.next) {
    addrinfo* ai = sl.next;
    sl.next = ai->ai_next;
    if (sl.fd >= 0) { ::close(sl.fd); sl.fd = -1; }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) { last = map_errno(errno); continue; }
    if (!set_nonblocking(fd)) { ::close(fd); last = port::kIo; continue; }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sl.fd = fd;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      sl.st = ConnectState::kConnected;
      sl.want_read = true;
      return port::kOk;
    }
    if (errno == EINPROGRESS) {
      sl.st = ConnectState::kPending;
      sl.want_write = true;
      return port::kOk;
    }
    last = map_errno(errno);
  }
  if (sl.fd >= 0) { ::close(sl.fd); sl.fd = -1; }
  sl.st = ConnectState::kFailed;
  sl.err = last;
  return last;
}

int32_t LinuxTcp::connect(const char* host, uint16_t port, SocketId* out) {
  if (!host || !*host || port == 0 || !out) return port::kInvalid;
  SocketId id;
  int32_t rc = alloc(&id);
  if (rc != port::kOk) return rc;
  Slot& sl = slots_[id];
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  char service[8];
  snprintf(service, sizeof service, "%u", port);
  int g = getaddrinfo(host, service, &hints, &sl.addrs);
  if (g != 0) {
    hints.ai_flags = 0;  // loopback-only hosts have no "configured" address
    g = getaddrinfo(host, service, &hints, &sl.addrs);
  }
  if (g != 0) {
    sl = Slot{};
    return g == EAI_MEMORY ? port::kNoMemory : port::kResolveFailed;
  }
  sl.next = sl.addrs;
  try_next_address(sl);
  *out = id;  // failures are reported through state()
  return port::kOk;
}

ConnectState LinuxTcp::state(SocketId s, int32_t* err) {
  Slot* sl = slot(s);
  if (!sl) { if (err) *err = port::kInvalid; return ConnectState::kFailed; }
  if (sl->st == ConnectState::kPending) {
    pollfd p{sl->fd, POLLOUT, 0};
    if (poll(&p, 1, 0) > 0) {
      int soerr = 0;
      socklen_t len = sizeof soerr;
      getsockopt(sl->fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
      if (soerr == 0) {
        sl->st = ConnectState::kConnected;
        sl->want_write = false;
        sl->want_read = true;
      } else {
        sl->err = map_errno(soerr);
        try_next_address(*sl);
      }
    }
  }
  if (sl->st != ConnectState::kPending && sl->addrs) {
    freeaddrinfo(sl->addrs);
    sl->addrs = sl->next = nullptr;
  }
  if (err) *err = sl->st == ConnectState::kFailed ? sl->err : 0;
  return sl->st;
}

int32_t LinuxTcp::read(SocketId s, uint8_t* buf, size_t len) {
  Slot* sl = slot(s);
  if (!sl || sl->listening) return port::kInvalid;
  if (sl->st != ConnectState::kConnected) return sl->st == ConnectState::kPending ? port::kWouldBlock : sl->err;
  if (len == 0) return 0;
  ssize_t n = recv(sl->fd, buf, len, 0);
  if (n > 0) { sl->want_read = false; return static_cast<int32_t>(n); }
  if (n == 0) return port::kClosed;
  if (errno == EINTR || errno == EAGAIN) { sl->want_read = true; return port::kWouldBlock; }
  return map_errno(errno);
}

int32_t LinuxTcp::write(SocketId s, const uint8_t* buf, size_t len) {
  Slot* sl = slot(s);
  if (!sl || sl->listening) return port::kInvalid;
  if (sl->st != ConnectState::kConnected) return sl->st == ConnectState::kPending ? port::kWouldBlock : sl->err;
  if (len == 0) return 0;
  if (len > 0x7fffffff) len = 0x7fffffff;
  ssize_t n = send(sl->fd, buf, len, MSG_NOSIGNAL);
  if (n >= 0) { sl->want_write = false; return static_cast<int32_t>(n); }
  if (errno == EINTR || errno == EAGAIN) { sl->want_write = true; return port::kWouldBlock; }
  return map_errno(errno);
}

int32_t LinuxTcp::pending(SocketId s) {
  Slot* sl = slot(s);
  if (!sl || sl->st != ConnectState::kConnected || sl->listening) return 0;
  int n = 0;
  return ioctl(sl->fd, FIONREAD, &n) == 0 ? n : 0;
}

void LinuxTcp::close(SocketId s) {
  Slot* sl = slot(s);
  if (!sl) return;
  if (sl->fd >= 0) ::close(sl->fd);
  if (sl->addrs) freeaddrinfo(sl->addrs);
  *sl = Slot{};
}

int32_t LinuxTcp::listen(uint16_t port, SocketId* out) {
  if (!out) return port::kInvalid;
  SocketId id;
  int32_t rc = alloc(&id);
  if (rc != port::kOk) return rc;
  Slot& sl = slots_[id];
  // Dual-stack listener: IPv6 socket that also accepts IPv4.
  int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool v6 = fd >= 0;
  if (!v6) fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) { sl = Slot{}; return map_errno(errno); }
  int one = 1, zero = 0;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int bound;
  if (v6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_any;
    bound = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    bound = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  if (bound != 0 || ::listen(fd, 8) != 0 || !set_nonblocking(fd)) {
    int32_t e = map_errno(errno);
    ::close(fd);
    sl = Slot{};
    return e;
  }
  sl.fd = fd;
  sl.listening = true;
  sl.st = ConnectState::kConnected;
  sl.want_read = true;
  *out = id;
  return port::kOk;
}

int32_t LinuxTcp::accept(SocketId listener, SocketId* out) {
  Slot* l = slot(listener);
  if (!l || !l->listening || !out) return port::kInvalid;
  int fd = accept4(l->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EAGAIN || errno == EINTR) { l->want_read = true; return port::kWouldBlock; }
    return map_errno(errno);
  }
  SocketId id;
  if (alloc(&id) != port::kOk) { ::close(fd); return port::kNoMemory; }
  slots_[id].fd = fd;
  slots_[id].st = ConnectState::kConnected;
  slots_[id].want_read = true;
  *out = id;
  return port::kOk;
}

void LinuxTcp::wait(uint32_t timeout_ms) {
  pollfd fds[kMaxSockets];
  int n = 0;
  for (int i = 0; slots_ && i < kMaxSockets; i++) {
    Slot& sl = slots_[i];
    if (!sl.used || sl.fd < 0) continue;
    short ev = 0;
    if (sl.st == ConnectState::kPending || sl.want_write) ev |= POLLOUT;
    if (sl.want_read) ev |= POLLIN;
    if (!ev) continue;
    fds[n++] = pollfd{sl.fd, ev, 0};
  }
  int t = timeout_ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(timeout_ms);
  poll(fds, static_cast<nfds_t>(n), t);
}

}  // namespace mcujs::linux_port
