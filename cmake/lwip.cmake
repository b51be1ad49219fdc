# lwIP 2.2.1 from the pinned Debian source package (deps/deps.lock), for the
# mps2-an385 firmware only: the core, IPv4 and Ethernet/ARP, SNTP (no other apps), no
# netconn/socket API (NO_SYS=1, raw API). Its configuration is the port's:
# ports/mps2-an385/net/lwip/lwipopts.h and arch/cc.h. lwIP's own CMake files
# (Filelists.cmake) are not used: they would also build what we leave out.
set(LWIP_DIR "${MCUJS_THIRD_PARTY_DIR}/lwip")
if(NOT EXISTS "${LWIP_DIR}/src/core/tcp.c")
  message(FATAL_ERROR "lwIP sources missing in ${LWIP_DIR}: run tools/fetch-deps.sh")
endif()
set(LWIP_CONFIG_DIR "${CMAKE_SOURCE_DIR}/ports/mps2-an385/net/lwip")

add_library(lwip STATIC
  ${LWIP_DIR}/src/core/init.c
  ${LWIP_DIR}/src/core/def.c
  ${LWIP_DIR}/src/core/dns.c
  ${LWIP_DIR}/src/core/inet_chksum.c
  ${LWIP_DIR}/src/core/ip.c
  ${LWIP_DIR}/src/core/mem.c
  ${LWIP_DIR}/src/core/memp.c
  ${LWIP_DIR}/src/core/netif.c
  ${LWIP_DIR}/src/core/pbuf.c
  ${LWIP_DIR}/src/core/raw.c
  ${LWIP_DIR}/src/core/stats.c
  ${LWIP_DIR}/src/core/sys.c
  ${LWIP_DIR}/src/core/tcp.c
  ${LWIP_DIR}/src/core/tcp_in.c
  ${LWIP_DIR}/src/core/tcp_out.c
  ${LWIP_DIR}/src/core/timeouts.c
  ${LWIP_DIR}/src/core/udp.c
  ${LWIP_DIR}/src/core/ipv4/acd.c
  ${LWIP_DIR}/src/core/ipv4/dhcp.c
  ${LWIP_DIR}/src/core/ipv4/etharp.c
  ${LWIP_DIR}/src/core/ipv4/icmp.c
  ${LWIP_DIR}/src/core/ipv4/ip4.c
  ${LWIP_DIR}/src/core/ipv4/ip4_addr.c
  ${LWIP_DIR}/src/core/ipv4/ip4_frag.c
  ${LWIP_DIR}/src/netif/ethernet.c
  ${LWIP_DIR}/src/apps/sntp/sntp.c)  # the wall clock (docs/time.md)
# SYSTEM: lwIP's headers must not trip our -Werror in the port's code.
target_include_directories(lwip SYSTEM PUBLIC ${LWIP_DIR}/src/include ${LWIP_CONFIG_DIR})
# Third-party code: its own warnings are not ours to fix.
target_compile_options(lwip PRIVATE -w)
