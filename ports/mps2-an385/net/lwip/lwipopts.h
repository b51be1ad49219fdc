// lwIP 2.2.1 configuration for the mps2-an385 firmware (ports/mps2-an385/net/net.cpp):
// one LAN9118 Ethernet interface, IPv4, DHCP, DNS and TCP clients through the
// raw API, everything run from the main loop. Sized for a device with 128 KB
// of RAM shared with QuickJS and Mbed TLS: lwIP's static RAM (its heap, pools
// and tables, all in .bss) stays under 16 KB. Every option set here says why;
// anything not set keeps lwIP's default (third_party/lwip/src/include/lwip/opt.h).
#ifndef MCUJS_MPS2_LWIPOPTS_H
#define MCUJS_MPS2_LWIPOPTS_H

// ---------------------------------------------------------------- system
// No operating system: one thread, lwIP is driven by LwipNet::wait().
#define NO_SYS 1
// lwIP is never entered from an interrupt (the driver is polled; the LAN9118
// IRQ only wakes WFI), so it needs no critical sections.
#define SYS_LIGHTWEIGHT_PROT 0
// Raw API only: no netconn/socket layers (they need threads).
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
// lwIP's timers (TCP, ARP, DHCP, DNS) run from sys_check_timeouts() in wait().
#define LWIP_TIMERS 1
// The one interface: lwIP can skip its netif lists and lookups.
#define LWIP_SINGLE_NETIF 1

// ---------------------------------------------------------------- memory
// 4-byte alignment: the Cortex-M3's word size; the LAN9118 FIFOs are read and
// written in words into these buffers.
#define MEM_ALIGNMENT 4
// lwIP's own heap (PBUF_RAM; unused with MEM_LIBC_MALLOC 1 below, which
// takes these from malloc): the copies tcp_write() makes of outgoing data
// (TCP_SND_BUF, 1.6 KB, plus segment headers) and small UDP packets (DHCP,
// DNS) and ARP. 3 KB holds both; when full, tcp_write fails and write()
// answers kWouldBlock.
#define MEM_SIZE (3 * 1024)
// lwIP's heap and pools from malloc (the firmware's BlockHeap), not static:
// measured on the e2e scenario (docs/firmware.md "Levers"), static RAM
// 11.4 -> 2.8 KB for a heap peak 1.3 KB higher: 7.1 KB less RAM in use,
// since the pools are mostly empty at the heap's peak. The counts below
// (PBUF_POOL_SIZE, MEMP_NUM_*) are then not enforced by lwIP; what bounds
// the buffers is the TCP window (TCP_WND), the send buffer (TCP_SND_BUF) and
// the heap, and an allocation lwIP cannot get drops a frame or fails a write
// (kWouldBlock), as a full pool did.
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
// Received frames: pool buffers of lwIP's default size for TCP_MSS (592
// bytes: one full segment with headers; a longer frame, e.g. a DHCP offer,
// takes a chain of two). Seven: the TCP window of one connection (4 segments,
// held until the script reads them) plus room for what arrives meanwhile
// (ACKs, ARP, a second connection). 7 x ~0.6 KB = 4.2 KB, the largest item.
// When empty, the driver drops the frame and TCP retransmits.
#define PBUF_POOL_SIZE 7
// PBUF_REF/ROM headers: only used for data lwIP does not copy (we always
// copy on write), so a few suffice.
#define MEMP_NUM_PBUF 4

// ---------------------------------------------------------------- link, IPv4
#define LWIP_IPV4 1
// IPv4 only: halves the stack's size; QEMU's user network is IPv4.
#define LWIP_IPV6 0
#define LWIP_ARP 1
// Few peers on the LAN: the gateway (every remote host is behind it), the
// DNS server and maybe one local host.
#define ARP_TABLE_SIZE 4
// While an address is being resolved, keep only the latest packet for it
// (TCP retransmits anything else): no ARP queue pool.
#define ARP_QUEUEING 0
// No fragmentation either way: TCP segments fit the MTU (TCP_MSS), DNS
// answers are small. Saves the reassembly buffers.
#define IP_REASSEMBLY 0
#define IP_FRAG 0
// Answers ping (useful to see the device is up; costs little code, no RAM).
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_IGMP 0
// No padding before the Ethernet header: the M3 reads unaligned fields of the
// IP header without faulting (lwIP uses byte-safe packed structs anyway).
#define ETH_PAD_SIZE 0
// No loopback interface: the device talks only to the network.
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_HAVE_LOOPIF 0

// ---------------------------------------------------------------- checksums
// All in software (the LAN9118 has no checksum offload in QEMU); lwIP's
// algorithm 3 is its fastest portable one on 32-bit cores.
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1
#define LWIP_CHKSUM_ALGORITHM 3

// ---------------------------------------------------------------- SNTP
// lwIP's apps/sntp sets the wall clock (net.cpp, docs/time.md): one server
// and its port, given at run time (LwipNet::start_sntp: a test's NTP server
// listens on an unprivileged host port); no DNS, no DHCP option 42.
#define SNTP_MAX_SERVERS 1
#define SNTP_SERVER_DNS 0
#define SNTP_GET_SERVERS_FROM_DHCP 0
#define SNTP_STARTUP_DELAY 0
// An answer must come from the server's address and port and echo our
// transmit timestamp (against blind spoofing).
#define SNTP_CHECK_RESPONSE 2
// Ask again after 1 s without an answer (doubling up to 8 s), then hourly.
#define SNTP_RECV_TIMEOUT 1000
#define SNTP_RETRY_TIMEOUT_MAX 8000
#define SNTP_UPDATE_DELAY 3600000
#ifdef __cplusplus
extern "C" {
#endif
unsigned short mcujs_mps2_sntp_port(void);
void mcujs_mps2_sntp_set(unsigned long sec, unsigned long us);
void mcujs_mps2_sntp_now(unsigned long* sec, unsigned long* us);
#ifdef __cplusplus
}
#endif
#define SNTP_PORT mcujs_mps2_sntp_port()
#define SNTP_SET_SYSTEM_TIME_US(sec, us) mcujs_mps2_sntp_set((sec), (us))
#define SNTP_GET_SYSTEM_TIME(sec, us) \
  do {                                 \
    unsigned long s_, u_;              \
    mcujs_mps2_sntp_now(&s_, &u_);     \
    (sec) = s_;                        \
    (us) = u_;                         \
  } while (0)
// SNTP's timer besides lwIP's own.
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 1)

// ---------------------------------------------------------------- UDP, DHCP, DNS
// UDP only for DHCP, DNS and SNTP.
#define LWIP_UDP 1
// DHCP's pcb, DNS's pcb and DNS's per-query random source port, SNTP's pcb.
#define MEMP_NUM_UDP_PCB 4
#define LWIP_DHCP 1
// No address conflict probing after the lease: it delays "up" by seconds
// and QEMU's DHCP server hands out a fixed address.
#define LWIP_DHCP_DOES_ACD_CHECK 0
#define LWIP_AUTOIP 0
#define LWIP_DNS 1
// Cached names: two (the hub's name and one more); each entry holds its name.
#define DNS_TABLE_SIZE 2
// Longest host name: 128 bytes instead of 256 (RFC 1035 allows 255; web
// service names are much shorter). Halves the table.
#define DNS_MAX_NAME_LENGTH 128
// Servers from DHCP (QEMU offers one, 10.0.2.3).
#define DNS_MAX_SERVERS 2
// lwIP's default DNS_MAX_RETRIES (4) and LWIP_DNS_SECURE (random query id,
// random source port, one query per name in flight) are kept: spoofing a
// DNS answer must stay hard.

// ---------------------------------------------------------------- TCP
#define LWIP_TCP 1
// 536, the IPv4 default (RFC 879), not a full 1460-byte Ethernet segment:
// every receive buffer is sized for one segment, so this sets the pool's RAM
// (7 x 0.6 KB instead of 7 x 1.5 KB: 5 KB saved of the 128 KB). A device's
// requests and its receiver's answers are a few hundred bytes; a TLS
// handshake's server flight (~2 KB with an ECDSA chain) takes four segments.
#define TCP_MSS 536
// Receive window: four segments (2144 bytes). Received data stays in its
// pool buffers until the script reads it; the window is only reopened by
// tcp_recved() after a read, so a slow reader holds at most this much.
#define TCP_WND (4 * TCP_MSS)
// Send buffer: three segments (1608 bytes) of copied data in MEM_SIZE; a
// longer write (a 2 KB TLS record) is accepted in parts.
#define TCP_SND_BUF (3 * TCP_MSS)
// Segments queued for sending: small writes (TLS records, HTTP headers) may
// each take one; lwIP requires MEMP_NUM_TCP_SEG >= TCP_SND_QUEUELEN.
#define TCP_SND_QUEUELEN 8
#define MEMP_NUM_TCP_SEG 8
// LwipNet's 4 sockets plus one in TIME_WAIT (lwIP reuses TIME_WAIT pcbs
// when it runs out).
#define MEMP_NUM_TCP_PCB 5
// listen() answers kUnsupported; lwIP still needs a pool of at least one.
#define MEMP_NUM_TCP_PCB_LISTEN 1
// Out-of-order segments are dropped and retransmitted rather than queued:
// no pool buffers pinned by holes.
#define TCP_QUEUE_OOSEQ 0
// No window scaling: the window is far below 64 KB.
#define LWIP_WND_SCALE 0

// ---------------------------------------------------------------- misc
// No statistics counters (RAM); the driver counts its own drops.
#define LWIP_STATS 0
// Nothing waits on interface callbacks: up() polls dhcp_supplied_address().
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
// lwIP's random numbers (DNS query ids and ports, DHCP xid, TCP local ports):
// a small PRNG in net.cpp seeded from the port's entropy source. Not for
// cryptography; TLS uses its own DRBG.
#ifdef __cplusplus
extern "C" {
#endif
unsigned int mcujs_lwip_rand(void);
#ifdef __cplusplus
}
#endif
#define LWIP_RAND() ((u32_t)mcujs_lwip_rand())

#endif  // MCUJS_MPS2_LWIPOPTS_H
