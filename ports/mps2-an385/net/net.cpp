// lwIP on the LAN9118 behind port::Tcp / port::Poller (see net.h).
//
// Receive path: wait() reads frames from the chip into pool pbufs and hands
// them to lwIP; a socket's received data stay queued as lwIP delivered them
// (a pbuf chain) until read() copies them out; only then does tcp_recved()
// reopen the window, so the queue is bounded by TCP_WND. Send path: write()
// copies into lwIP (tcp_write with TCP_WRITE_FLAG_COPY) up to tcp_sndbuf()
// and pushes it out at once (tcp_output; Nagle off, like the Linux port's
// TCP_NODELAY).
#include "ports/mps2-an385/net/net.h"

#include <cstdio>
#include <cstring>

#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/apps/sntp.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include <board.h>  // this board's LAN9118 (see board.h)
#include "ports/mps2-an385/mps2_port.h"

extern "C" uint64_t mcujs_mps2_monotonic_ms();  // board.cpp

namespace mcujs::mps2 {

using port::ConnectState;
using port::SocketId;

struct LwipNet::Slot {
  enum class St : uint8_t { kFree, kResolving, kConnecting, kConnected, kFailed };
  St st = St::kFree;
  int32_t err = 0;         // why it failed (kFailed), or why the connection ended
  tcp_pcb* pcb = nullptr;  // null once lwIP freed it (error) or we closed it
  pbuf* rx = nullptr;      // received, not yet read
  bool fin = false;        // the peer ended its stream
  uint16_t port = 0;
  uint8_t gen = 0;  // bumped on every reuse, so late DNS answers are ignored
};

// Each socket is an lwIP TCP pcb (core/limits.h, lwip/lwipopts.h).
static_assert(LwipNet::kMaxSockets <= MEMP_NUM_TCP_PCB, "MCUJS_MPS2_MAX_SOCKETS exceeds lwIP's MEMP_NUM_TCP_PCB");

namespace {

// A locally administered unicast address ("\x02mcujs"): QEMU's default
// 52:54:00:12:34:56 belongs to QEMU's OUI.
constexpr uint8_t kMac[6] = {0x02, 0x6d, 0x63, 0x75, 0x6a, 0x73};

// Frames moved into lwIP per poll: a burst cannot starve the script.
constexpr int kFramesPerPoll = 16;

// lwIP has one global state; so does this (LwipNet is a single instance).
LwipNet::Slot g_slots[LwipNet::kMaxSockets];
netif g_netif;
Lan9118* g_eth = nullptr;
bool g_lwip_ready = false;
bool g_events = false;  // a socket changed (data, ack, connected, error, DNS answer)
uint32_t g_rand = 0x6d63756a;

int32_t map_err(err_t e) {
  switch (e) {
    case ERR_OK: return port::kOk;
    case ERR_MEM: case ERR_BUF: return port::kNoMemory;
    case ERR_TIMEOUT: return port::kTimeout;
    case ERR_RTE: return port::kUnreachable;
    case ERR_RST: return port::kReset;
    // lwIP aborts a pcb when its retransmissions (or SYNs) give up.
    case ERR_ABRT: return port::kTimeout;
    case ERR_CLSD: case ERR_CONN: return port::kClosed;
    case ERR_USE: return port::kAddressInUse;
    case ERR_ARG: case ERR_VAL: return port::kInvalid;
    default: return port::kIo;
  }
}

// ---------------------------------------------------------------- lwIP callbacks
LwipNet::Slot* slot_of(void* arg) { return static_cast<LwipNet::Slot*>(arg); }

err_t on_connected(void* arg, tcp_pcb*, err_t) {
  LwipNet::Slot* sl = slot_of(arg);
  if (sl) sl->st = LwipNet::Slot::St::kConnected;
  g_events = true;
  return ERR_OK;
}

// The pcb is already freed when lwIP calls this.
void on_error(void* arg, err_t e) {
  LwipNet::Slot* sl = slot_of(arg);
  g_events = true;
  if (!sl) return;
  sl->pcb = nullptr;
  if (sl->st == LwipNet::Slot::St::kConnecting) {
    sl->st = LwipNet::Slot::St::kFailed;
    sl->err = e == ERR_RST ? port::kRefused : map_err(e);  // RST answering our SYN
  } else {
    sl->err = map_err(e);
  }
}

err_t on_recv(void* arg, tcp_pcb*, pbuf* p, err_t e) {
  LwipNet::Slot* sl = slot_of(arg);
  g_events = true;
  if (!sl) {
    if (p) pbuf_free(p);
    return ERR_OK;
  }
  if (!p) {
    sl->fin = true;
    return ERR_OK;
  }
  if (e != ERR_OK) {
    pbuf_free(p);
    return ERR_OK;
  }
  // The window (TCP_WND) already bounds this; the check keeps the u16
  // tot_len of the chain safe whatever the peer does. ERR_MEM: lwIP keeps
  // the data and offers it again later.
  uint32_t queued = sl->rx ? sl->rx->tot_len : 0;
  if (queued + p->tot_len > TCP_WND) return ERR_MEM;
  if (sl->rx) pbuf_cat(sl->rx, p);
  else sl->rx = p;
  return ERR_OK;
}

err_t on_sent(void*, tcp_pcb*, u16_t) {
  g_events = true;
  return ERR_OK;
}

void detach(tcp_pcb* pcb) {
  tcp_arg(pcb, nullptr);
  tcp_err(pcb, nullptr);
  tcp_recv(pcb, nullptr);  // lwIP's default then drops late data
  tcp_sent(pcb, nullptr);
}

int32_t fail(LwipNet::Slot& sl, int32_t err) {
  sl.st = LwipNet::Slot::St::kFailed;
  sl.err = err;
  g_events = true;
  return err;
}

int32_t start_tcp(LwipNet::Slot& sl, const ip_addr_t* ip) {
  tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (!pcb) return fail(sl, port::kNoMemory);
  tcp_arg(pcb, &sl);
  tcp_err(pcb, on_error);
  tcp_recv(pcb, on_recv);
  tcp_sent(pcb, on_sent);
  tcp_nagle_disable(pcb);
  err_t e = tcp_connect(pcb, ip, sl.port, on_connected);
  if (e != ERR_OK) {
    detach(pcb);
    tcp_close(pcb);  // still CLOSED: just freed
    return fail(sl, map_err(e));
  }
  sl.pcb = pcb;
  sl.st = LwipNet::Slot::St::kConnecting;
  return port::kOk;
}

// arg: the slot's index and generation, not a pointer: the slot may have been
// closed and reused while the query was out.
void on_dns(const char*, const ip_addr_t* ip, void* arg) {
  uintptr_t v = reinterpret_cast<uintptr_t>(arg);
  unsigned idx = v & 0xFF;
  if (idx >= LwipNet::kMaxSockets) return;
  LwipNet::Slot& sl = g_slots[idx];
  if (sl.st != LwipNet::Slot::St::kResolving || sl.gen != ((v >> 8) & 0xFF)) return;
  g_events = true;
  if (!ip || !IP_IS_V4(ip)) {
    fail(sl, port::kResolveFailed);
    return;
  }
  start_tcp(sl, ip);
}

// ---------------------------------------------------------------- netif
err_t link_output(netif*, pbuf* p) {
  if (!g_eth->tx_begin(p->tot_len)) return ERR_IF;
  for (pbuf* q = p; q; q = q->next) g_eth->tx_write(static_cast<const uint8_t*>(q->payload), q->len);
  g_eth->tx_end();
  return ERR_OK;
}

err_t netif_setup(netif* n) {
  n->name[0] = 'e';
  n->name[1] = 'n';
  n->output = etharp_output;
  n->linkoutput = link_output;
  n->mtu = 1500;
  n->hwaddr_len = ETH_HWADDR_LEN;
  memcpy(n->hwaddr, kMac, sizeof kMac);
  n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
  return ERR_OK;
}

}  // namespace

// ---------------------------------------------------------------- LwipNet
LwipNet::LwipNet(port::Clock& clock, port::Entropy* entropy)
    : clock_(clock), entropy_(entropy), slots_(g_slots) {}

// lwIP itself cannot be torn down (lwip_init() runs once per boot); the
// interface is released so that a later LwipNet can bring it up again.
LwipNet::~LwipNet() {
  for (int i = 0; i < kMaxSockets; i++) close(i);
  if (started_) {
    dhcp_release_and_stop(&g_netif);
    netif_remove(&g_netif);
    g_eth = nullptr;
  }
}

bool LwipNet::has_address() const { return started_ && dhcp_supplied_address(&g_netif); }

bool LwipNet::up(uint32_t timeout_ms) {
  uint64_t start = clock_.monotonic_ms();
  if (!started_) {
    uint32_t seed = 0;
    if (entropy_) entropy_->fill(reinterpret_cast<uint8_t*>(&seed), sizeof seed);
    g_rand ^= seed ^ static_cast<uint32_t>(start);
    if (g_rand == 0) g_rand = 1;
    if (!eth_.init(kMac)) {
      printf("net: no LAN9118 at 0x%08lx\n", static_cast<unsigned long>(eth_.base()));
      return false;
    }
    g_eth = &eth_;
    if (!g_lwip_ready) {
      lwip_init();
      g_lwip_ready = true;
    }
    if (!netif_add(&g_netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, this, netif_setup,
                   ethernet_input)) {
      return false;
    }
    started_ = true;  // the interface exists from here on (the destructor removes it)
    netif_set_default(&g_netif);
    netif_set_up(&g_netif);
    netif_set_link_up(&g_netif);  // QEMU's PHY reports link up at once
    if (dhcp_start(&g_netif) != ERR_OK) return false;  // only without memory
  }
  while (!dhcp_supplied_address(&g_netif)) {
    if (clock_.monotonic_ms() - start >= timeout_ms) return false;
    poll_once();
    sleep();
  }
  char ip[IP4ADDR_STRLEN_MAX], gw[IP4ADDR_STRLEN_MAX];
  ip4addr_ntoa_r(netif_ip4_addr(&g_netif), ip, sizeof ip);
  ip4addr_ntoa_r(netif_ip4_gw(&g_netif), gw, sizeof gw);
  printf("net: DHCP lease %s gw %s\n", ip, gw);
  return true;
}

bool LwipNet::poll_once() {
  bool got = false;
  for (int i = 0; i < kFramesPerPoll; i++) {
    int32_t len = eth_.rx_begin();
    if (len < 0) break;
    got = true;
    pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(len), PBUF_POOL);
    if (!p) {
      rx_no_pbuf_++;  // TCP will retransmit
      eth_.rx_end();
      continue;
    }
    for (pbuf* q = p; q; q = q->next) eth_.rx_read(static_cast<uint8_t*>(q->payload), q->len);
    eth_.rx_end();
    if (g_netif.input(p, &g_netif) != ERR_OK) pbuf_free(p);
  }
  sys_check_timeouts();
  return got;
}

// WFI with interrupts masked: a pending interrupt still wakes the core, but no
// handler runs until cpsie, when the SysTick that woke us is counted. The
// LAN9118's IRQ is enabled in the NVIC only for the WFI (the vector table has
// no handler for it); its latched status is cleared first, so the line rises
// again only for a frame that arrives from now on.
void LwipNet::sleep() {
  __asm__ volatile("cpsid i" ::: "memory");
  if (started_) {
    eth_.ack_rx_irq();
    nvic_clear_pending(eth_.irq());
  }
  if (!started_ || eth_.rx_frames() == 0) {
    if (started_) nvic_enable(eth_.irq());
    __asm__ volatile("dsb\n wfi" ::: "memory");
    if (started_) {
      nvic_disable(eth_.irq());
      nvic_clear_pending(eth_.irq());
      __asm__ volatile("dsb\n isb" ::: "memory");
    }
  }
  __asm__ volatile("cpsie i" ::: "memory");
}

void LwipNet::wait(uint32_t timeout_ms) {
  uint64_t start = clock_.monotonic_ms();
  g_events = false;
  for (;;) {
    if (started_) poll_once();
    if (g_events || clock_.monotonic_ms() - start >= timeout_ms) return;
    sleep();
  }
}

LwipNet::Slot* LwipNet::slot(SocketId s) {
  if (s < 0 || s >= kMaxSockets || slots_[s].st == Slot::St::kFree) return nullptr;
  return &slots_[s];
}

int32_t LwipNet::connect(const char* host, uint16_t port, SocketId* out) {
  if (!host || !*host || port == 0 || !out) return port::kInvalid;
  if (strchr(host, ':')) return port::kUnreachable;  // IPv6 literal: IPv4-only stack
  if (!has_address()) return port::kUnreachable;
  int id = 0;
  while (id < kMaxSockets && slots_[id].st != Slot::St::kFree) id++;
  if (id == kMaxSockets) return port::kNoMemory;
  Slot& sl = slots_[id];
  uint8_t gen = static_cast<uint8_t>(sl.gen + 1);
  sl = Slot{};
  sl.gen = gen;
  sl.port = port;
  sl.st = Slot::St::kResolving;
  ip_addr_t ip;
  void* arg = reinterpret_cast<void*>(static_cast<uintptr_t>(id) | static_cast<uintptr_t>(gen) << 8);
  // Literal addresses and cached names answer at once; otherwise the query
  // goes out and on_dns() continues (state() says kPending meanwhile).
  err_t e = dns_gethostbyname(host, &ip, on_dns, arg);
  if (e == ERR_OK) {
    start_tcp(sl, &ip);
  } else if (e != ERR_INPROGRESS) {
    sl.st = Slot::St::kFree;  // like getaddrinfo failing in the Linux port
    return port::kResolveFailed;
  }
  *out = id;  // failures are reported through state()
  return port::kOk;
}

ConnectState LwipNet::state(SocketId s, int32_t* err) {
  Slot* sl = slot(s);
  if (!sl) {
    if (err) *err = port::kInvalid;
    return ConnectState::kFailed;
  }
  switch (sl->st) {
    case Slot::St::kConnected:
      if (err) *err = 0;
      return ConnectState::kConnected;
    case Slot::St::kFailed:
      if (err) *err = sl->err;
      return ConnectState::kFailed;
    default:
      if (err) *err = 0;
      return ConnectState::kPending;
  }
}

int32_t LwipNet::read(SocketId s, uint8_t* buf, size_t len) {
  Slot* sl = slot(s);
  if (!sl || (!buf && len)) return port::kInvalid;
  if (sl->st == Slot::St::kFailed) return sl->err;
  if (sl->st != Slot::St::kConnected) return port::kWouldBlock;
  if (len == 0) return 0;
  if (sl->rx) {
    // Data that arrived before a reset or FIN is still delivered first.
    u16_t n = static_cast<u16_t>(len < sl->rx->tot_len ? len : sl->rx->tot_len);
    pbuf_copy_partial(sl->rx, buf, n, 0);
    sl->rx = pbuf_free_header(sl->rx, n);
    if (sl->pcb) tcp_recved(sl->pcb, n);
    return n;
  }
  if (sl->err) return sl->err;
  if (sl->fin) return port::kClosed;
  return port::kWouldBlock;
}

int32_t LwipNet::write(SocketId s, const uint8_t* buf, size_t len) {
  Slot* sl = slot(s);
  if (!sl || (!buf && len)) return port::kInvalid;
  if (sl->st == Slot::St::kFailed) return sl->err;
  if (sl->st != Slot::St::kConnected) return port::kWouldBlock;
  if (sl->err) return sl->err;
  if (!sl->pcb) return port::kClosed;
  if (len == 0) return 0;
  u16_t room = tcp_sndbuf(sl->pcb);
  if (room == 0 || tcp_sndqueuelen(sl->pcb) >= TCP_SND_QUEUELEN) return port::kWouldBlock;
  u16_t n = static_cast<u16_t>(len < room ? len : room);
  err_t e = tcp_write(sl->pcb, buf, n, TCP_WRITE_FLAG_COPY);
  if (e == ERR_MEM) {
    // lwIP's heap (MEM_SIZE) is full of unacknowledged data: retry after an ACK.
    tcp_output(sl->pcb);
    return port::kWouldBlock;
  }
  if (e != ERR_OK) return map_err(e);
  tcp_output(sl->pcb);
  return n;
}

int32_t LwipNet::pending(SocketId s) {
  Slot* sl = slot(s);
  return sl && sl->rx ? sl->rx->tot_len : 0;
}

void LwipNet::close(SocketId s) {
  Slot* sl = slot(s);
  if (!sl) return;
  if (sl->pcb) {
    detach(sl->pcb);
    // tcp_close sends FIN, or RST if unread data remain (as BSD sockets do);
    // it only fails without memory for the FIN: then abort.
    if (tcp_close(sl->pcb) != ERR_OK) tcp_abort(sl->pcb);
  }
  if (sl->rx) pbuf_free(sl->rx);
  uint8_t gen = sl->gen;
  *sl = Slot{};
  sl->gen = gen;  // a DNS answer still on its way finds a different generation
}

// ---------------------------------------------------------------- SNTP (docs/time.md)
namespace {
uint16_t g_sntp_port = 123;
char g_sntp_server[IP4ADDR_STRLEN_MAX] = {};
}  // namespace

bool LwipNet::start_sntp(const char* server, uint16_t port) {
  ip_addr_t addr;
  if (!started_ || port == 0) return false;
  if (!server) {
    ip_addr_copy_from_ip4(addr, *netif_ip4_gw(&g_netif));
    ip4addr_ntoa_r(netif_ip4_gw(&g_netif), g_sntp_server, sizeof g_sntp_server);
  } else if (ipaddr_aton(server, &addr) && IP_IS_V4(&addr)) {
    snprintf(g_sntp_server, sizeof g_sntp_server, "%s", server);
  } else {
    return false;
  }
  g_sntp_port = port;
  if (sntp_enabled()) sntp_stop();
  sntp_setoperatingmode(SNTP_OPMODE_POLL);
  sntp_setserver(0, &addr);
  sntp_init();  // the first request goes out at once (SNTP_STARTUP_DELAY 0)
  return true;
}

bool LwipNet::wait_for_time(uint32_t timeout_ms) {
  uint64_t start = clock_.monotonic_ms();
  int64_t ms = 0;
  while (!wall_clock_ms(&ms)) {
    if (clock_.monotonic_ms() - start >= timeout_ms) return false;
    poll_once();
    sleep();
  }
  return true;
}

}  // namespace mcujs::mps2

// lwIP's SNTP client (lwipopts.h): the server's port, the answer, and the
// transmit timestamp an answer must echo (the wall clock or the uptime, its
// microseconds random so that a blind spoofer cannot guess them).
extern "C" unsigned short mcujs_mps2_sntp_port(void) { return mcujs::mps2::g_sntp_port; }

extern "C" void mcujs_mps2_sntp_set(unsigned long sec, unsigned long us) {
  int64_t before = 0;
  bool was_set = mcujs::mps2::wall_clock_ms(&before);
  if (!mcujs::mps2::set_wall_clock(static_cast<int64_t>(sec), static_cast<uint32_t>(us))) {
    printf("time: SNTP answer %lu from %s is before this image's time floor %lu: not believed\n", sec,
           mcujs::mps2::g_sntp_server, static_cast<unsigned long>(mcujs::mps2::kTimeFloor));
    return;
  }
  if (!was_set) printf("time: set by SNTP from %s:%u: %lu\n", mcujs::mps2::g_sntp_server,
                       static_cast<unsigned>(mcujs::mps2::g_sntp_port), sec);
}

extern "C" unsigned int mcujs_lwip_rand(void);
extern "C" void mcujs_mps2_sntp_now(unsigned long* sec, unsigned long* us) {
  int64_t ms = 0;
  if (!mcujs::mps2::wall_clock_ms(&ms)) ms = static_cast<int64_t>(mcujs_mps2_monotonic_ms());
  *sec = static_cast<unsigned long>(ms / 1000);
  *us = static_cast<unsigned long>(mcujs_lwip_rand() % 1000000u);
}

// ---------------------------------------------------------------- lwIP's platform hooks
extern "C" u32_t sys_now(void) { return static_cast<u32_t>(mcujs_mps2_monotonic_ms()); }

// xorshift32: DNS query ids and source ports, DHCP xid, TCP local ports.
extern "C" unsigned int mcujs_lwip_rand(void) {
  uint32_t x = mcujs::mps2::g_rand;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  mcujs::mps2::g_rand = x;
  return x;
}

extern "C" void mcujs_lwip_assert(const char* msg, int line, const char* file) {
  printf("lwIP assertion \"%s\" failed at %s:%d\n", msg, file, line);
  mcujs::mps2::board_exit(134);
}
