/* A misbehaving TLS "server" for the refusal tests (tests/tls/refusal.sh):
 *
 *   mcujs_tls_bad_peer MODE PORTFILE CAPTURE [SECONDS]
 *
 * Listens on 127.0.0.1 on a port chosen by the kernel, writes that port to
 * PORTFILE (atomically, via a rename) and appends every byte it receives
 * from any client to CAPTURE. MODE:
 *   silent  accept, read and discard, never answer (the client's handshake
 *           must time out)
 *   rst     accept, read the first bytes of the ClientHello, then close with
 *           SO_LINGER {1, 0} so that the kernel sends a TCP RST
 * Exits after SECONDS (default 60) so that it never outlives a test run.
 * Plain POSIX; no dependencies.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 16

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char* what) {
  fprintf(stderr, "bad_peer: %s: %s\n", what, strerror(errno));
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5 || (strcmp(argv[1], "silent") != 0 && strcmp(argv[1], "rst") != 0)) {
    fprintf(stderr, "usage: %s silent|rst PORTFILE CAPTURE [SECONDS]\n", argv[0]);
    return 2;
  }
  const int rst = strcmp(argv[1], "rst") == 0;
  const double seconds = argc == 5 ? atof(argv[4]) : 60.0;
  const double end = now() + (seconds > 0 ? seconds : 60.0);

  FILE* capture = fopen(argv[3], "ab");
  if (!capture) return fail(argv[3]);

  int ls = socket(AF_INET, SOCK_STREAM, 0);
  if (ls < 0) return fail("socket");
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(ls, (struct sockaddr*)&a, sizeof a) != 0) return fail("bind");
  if (listen(ls, 8) != 0) return fail("listen");
  socklen_t alen = sizeof a;
  if (getsockname(ls, (struct sockaddr*)&a, &alen) != 0) return fail("getsockname");

  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", argv[2]);
  FILE* pf = fopen(tmp, "w");
  if (!pf) return fail(tmp);
  fprintf(pf, "%u\n", (unsigned)ntohs(a.sin_port));
  if (fclose(pf) != 0 || rename(tmp, argv[2]) != 0) return fail("port file");
  fprintf(stderr, "bad_peer: %s mode, listening on 127.0.0.1:%u\n", argv[1], (unsigned)ntohs(a.sin_port));

  struct pollfd fds[1 + MAX_CLIENTS];
  int n = 1;
  fds[0].fd = ls;
  fds[0].events = POLLIN;
  while (now() < end) {
    int r = poll(fds, (nfds_t)n, 100);
    if (r < 0 && errno != EINTR) return fail("poll");
    if (r <= 0) continue;
    if ((fds[0].revents & POLLIN) && n < 1 + MAX_CLIENTS) {
      int c = accept(ls, NULL, NULL);
      if (c >= 0) {
        fprintf(stderr, "bad_peer: accepted a connection\n");
        fds[n].fd = c;
        fds[n].events = POLLIN;
        fds[n].revents = 0;
        n++;
      }
    }
    for (int i = 1; i < n; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        fwrite(buf, 1, (size_t)got, capture);
        fflush(capture);
        fprintf(stderr, "bad_peer: received %zd bytes\n", got);
      }
      if (got > 0 && !rst) continue;  /* silent: keep reading, never answer */
      if (got > 0 && rst) {
        struct linger lg = {1, 0};
        if (setsockopt(fds[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0) return fail("SO_LINGER");
        fprintf(stderr, "bad_peer: resetting the connection\n");
      } else {
        fprintf(stderr, "bad_peer: the client closed\n");
      }
      close(fds[i].fd);
      fds[i] = fds[n - 1];
      n--;
      i--;
    }
  }
  fprintf(stderr, "bad_peer: time is up\n");
  return 0;
}
