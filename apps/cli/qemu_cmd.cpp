#include "apps/cli/qemu_cmd.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "apps/cli/boards.h"
#include "apps/cli/host_files.h"

namespace mcujs::cli {

namespace {

constexpr char kQemuUsage[] =
    "usage: mcujs qemu --board BOARD [--flash-state FILE] [--net user|none|SPEC] [--image ELF]\n"
    "                  [--qemu BIN] [--icount] [--timeout S] APP.bundle\n";

struct QemuOptions {
  const Board* board = nullptr;
  const char* flash_state = nullptr;
  const char* net = "user";
  const char* image = nullptr;
  const char* qemu = "qemu-system-arm";
  const char* bundle = nullptr;
  bool icount = false;
  double timeout_s = 0;  // 0: none
};

uint64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

bool exists(const char* path) {
  struct stat st{};
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

// The runtime image: --image, else next to this program (an installed
// layout) or in the firmware build tree beside the host one (build/host/mcujs
// -> build/mps2-an385/).
bool find_image(const QemuOptions& o, const char* self, char* out, size_t cap) {
  if (o.image) return snprintf(out, cap, "%s", o.image) < static_cast<int>(cap) && exists(out);
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) n = static_cast<ssize_t>(snprintf(exe, sizeof exe, "%s", self));
  exe[n] = 0;
  char* slash = strrchr(exe, '/');
  if (slash) *slash = 0;
  const char* dir = slash ? exe : ".";
  if (snprintf(out, cap, "%s/%s", dir, o.board->image) < static_cast<int>(cap) && exists(out)) return true;
  return snprintf(out, cap, "%s/../%s/%s", dir, o.board->name, o.board->image) < static_cast<int>(cap) &&
         exists(out);
}

bool parse(int argc, char** argv, QemuOptions* o) {
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    bool flag = !strcmp(a, "--icount");
    if (flag) {
      o->icount = true;
      continue;
    }
    if (a[0] != '-') {
      if (o->bundle) {
        fprintf(stderr, "mcujs qemu: one bundle only ('%s' and '%s')\n", o->bundle, a);
        return false;
      }
      o->bundle = a;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "mcujs qemu: option %s needs a value\n%s", a, kQemuUsage);
      return false;
    }
    const char* v = argv[++i];
    if (!strcmp(a, "--board")) {
      o->board = find_board(v);
      if (!o->board) {
        fprintf(stderr, "mcujs qemu: --board: unknown board '%s' (known: %s)\n", v, kBoardNames);
        return false;
      }
    } else if (!strcmp(a, "--flash-state")) {
      o->flash_state = v;
    } else if (!strcmp(a, "--net")) {
      o->net = v;
    } else if (!strcmp(a, "--image")) {
      o->image = v;
    } else if (!strcmp(a, "--qemu")) {
      o->qemu = v;
    } else if (!strcmp(a, "--timeout")) {
      char* end = nullptr;
      o->timeout_s = strtod(v, &end);
      if (end == v || *end || !(o->timeout_s > 0 && o->timeout_s < 86400)) {
        fprintf(stderr, "mcujs qemu: --timeout: expected seconds in (0, 86400), got '%s'\n", v);
        return false;
      }
    } else {
      fprintf(stderr, "mcujs qemu: unknown option '%s'\n%s", a, kQemuUsage);
      return false;
    }
  }
  if (!o->board || !o->bundle) {
    fprintf(stderr, "mcujs qemu: --board and a bundle are required\n%s", kQemuUsage);
    return false;
  }
  return true;
}

// The persistent flash at power-on: FILE's (bundle + storage partitions),
// or erased flash; the bundle written over its partition.
uint8_t* power_on_flash(const QemuOptions& o) {
  char err[512];
  size_t blen = 0;
  uint8_t* bundle = read_file(o.bundle, &blen, err, sizeof err);
  if (!bundle) {
    fprintf(stderr, "mcujs qemu: %s\n", err);
    return nullptr;
  }
  const uint32_t size = o.board->persistent_size;
  uint8_t* flash = nullptr;
  if (blen > o.board->bundle_size) {
    fprintf(stderr, "mcujs qemu: %s: %lu bytes do not fit the %lu-byte bundle partition\n", o.bundle,
            static_cast<unsigned long>(blen), static_cast<unsigned long>(o.board->bundle_size));
  } else if (o.flash_state && exists(o.flash_state)) {
    size_t flen = 0;
    flash = read_file(o.flash_state, &flen, err, sizeof err);
    if (!flash) {
      fprintf(stderr, "mcujs qemu: --flash-state: %s\n", err);
    } else if (flen != size) {
      fprintf(stderr, "mcujs qemu: --flash-state %s: %lu bytes, a %s flash state has %lu\n", o.flash_state,
              static_cast<unsigned long>(flen), o.board->name, static_cast<unsigned long>(size));
      free(flash);
      flash = nullptr;
    }
  } else {
    flash = static_cast<uint8_t*>(malloc(size));
    if (flash) memset(flash, 0xFF, size);  // erased NOR flash
    else fprintf(stderr, "mcujs qemu: out of memory\n");
  }
  if (flash) {
    memset(flash, 0xFF, o.board->bundle_size);
    memcpy(flash, bundle, blen);
  }
  free(bundle);
  return flash;
}

// One line "EXIT <n>" ends the app (the image then halts: -append hold).
bool exit_line(const char* line, int* status) {
  int n = 0;
  char tail = 0;
  if (sscanf(line, "EXIT %d%c", &n, &tail) != 1) return false;
  *status = n;
  return true;
}

// Sends the monitor its commands and waits until QEMU closes it (quit).
bool monitor(const char* sock_path, const char* save_path, uint32_t base, uint32_t size) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    fprintf(stderr, "mcujs qemu: cannot reach QEMU's monitor: %s\n", strerror(errno));
    if (fd >= 0) close(fd);
    return false;
  }
  char cmd[PATH_MAX + 128];
  int n = save_path ? snprintf(cmd, sizeof cmd, "stop\npmemsave 0x%08lx %lu \"%s\"\nquit\n",
                               static_cast<unsigned long>(base), static_cast<unsigned long>(size), save_path)
                    : snprintf(cmd, sizeof cmd, "quit\n");
  bool ok = write(fd, cmd, static_cast<size_t>(n)) == n;
  char buf[512];
  uint64_t deadline = now_ms() + 30000;
  while (ok && now_ms() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    ssize_t r = read(fd, buf, sizeof buf);
    if (r <= 0) break;  // QEMU quit
  }
  close(fd);
  return ok;
}

struct TempDir {
  char path[PATH_MAX] = {};
  char flash[PATH_MAX + 16] = {};
  char saved[PATH_MAX + 16] = {};
  char sock[PATH_MAX + 16] = {};
  ~TempDir() {
    if (!path[0]) return;
    unlink(flash);
    unlink(saved);
    unlink(sock);
    rmdir(path);
  }
};

}  // namespace

int qemu_main(int argc, char** argv, const char* self) {
  QemuOptions o;
  if (!parse(argc, argv, &o)) return 2;
  char image[PATH_MAX];
  if (!find_image(o, self, image, sizeof image)) {
    fprintf(stderr, "mcujs qemu: no runtime image for %s (%s next to mcujs or in ../%s/; or --image ELF)\n",
            o.board->name, o.board->image, o.board->name);
    return 2;
  }
  uint8_t* flash = power_on_flash(o);
  if (!flash) return 2;
  TempDir tmp;
  const char* tmpdir = getenv("TMPDIR");
  snprintf(tmp.path, sizeof tmp.path, "%s/mcujs-qemu-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  char err[512];
  if (!mkdtemp(tmp.path)) {
    fprintf(stderr, "mcujs qemu: cannot create a temporary directory: %s\n", strerror(errno));
    tmp.path[0] = 0;
    free(flash);
    return 1;
  }
  snprintf(tmp.flash, sizeof tmp.flash, "%s/flash.bin", tmp.path);
  snprintf(tmp.saved, sizeof tmp.saved, "%s/saved.bin", tmp.path);
  snprintf(tmp.sock, sizeof tmp.sock, "%s/monitor", tmp.path);
  bool wrote = write_file(tmp.flash, flash, o.board->persistent_size, err, sizeof err);
  free(flash);
  if (!wrote || strlen(tmp.sock) >= sizeof(sockaddr_un::sun_path) || strpbrk(tmp.saved, "\"\\")) {
    fprintf(stderr, "mcujs qemu: %s\n", wrote ? "unusable temporary directory path" : err);
    return 1;
  }
  char loader[PATH_MAX + 64], monitor_arg[PATH_MAX + 64];
  int nl = snprintf(loader, sizeof loader, "loader,file=%s,addr=0x%08lx", tmp.flash,
                    static_cast<unsigned long>(o.board->bundle_base));
  int nm = snprintf(monitor_arg, sizeof monitor_arg, "unix:%s,server=on,wait=off", tmp.sock);
  if (nl >= static_cast<int>(sizeof loader) || nm >= static_cast<int>(sizeof monitor_arg)) {
    fprintf(stderr, "mcujs qemu: a path is too long\n");
    return 2;
  }
  // "hold", the image's whole command line: it halts after printing EXIT
  // instead of ending QEMU, so that its flash can be saved first. Its
  // settings (NTP server, log level) come with the bundle (boot.cfg).
  const char* args[32] = {o.qemu, "-M", o.board->qemu_machine, "-nographic", "-monitor", monitor_arg,
                          "-semihosting-config", "enable=on,target=native", "-kernel", image,
                          "-device", loader, "-append", "hold", "-nic", o.net};
  int na = 16;
  if (o.icount) {
    args[na++] = "-icount";
    args[na++] = "shift=0";
  }
  args[na] = nullptr;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    fprintf(stderr, "mcujs qemu: pipe: %s\n", strerror(errno));
    return 1;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out[1], 1);
    execvp(o.qemu, const_cast<char* const*>(args));
    fprintf(stderr, "mcujs qemu: cannot run %s: %s\n", o.qemu, strerror(errno));
    _exit(127);
  }
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    fprintf(stderr, "mcujs qemu: fork: %s\n", strerror(errno));
    return 1;
  }
  // Forward the UART, watching for the app's end.
  const uint64_t deadline = o.timeout_s > 0 ? now_ms() + static_cast<uint64_t>(o.timeout_s * 1000) : 0;
  char line[1024];
  size_t ll = 0;
  int app_status = -1;
  bool timed_out = false;
  while (app_status < 0) {
    int wait_ms = 1000;
    if (deadline) {
      uint64_t t = now_ms();
      if (t >= deadline) {
        timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(deadline - t < 1000 ? deadline - t : 1000);
    }
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) continue;
    char buf[512];
    ssize_t r = read(out[0], buf, sizeof buf);
    if (r <= 0) break;  // QEMU ended by itself (a fault, or an image that exits)
    fwrite(buf, 1, static_cast<size_t>(r), stdout);
    fflush(stdout);
    for (ssize_t k = 0; k < r && app_status < 0; k++) {
      if (buf[k] == '\n' || ll == sizeof line - 1) {
        line[ll] = 0;
        if (ll && line[ll - 1] == '\r') line[ll - 1] = 0;
        exit_line(line, &app_status);
        ll = 0;
      } else {
        line[ll++] = buf[k];
      }
    }
  }
  int rc;
  if (app_status >= 0) {
    // Power-off: freeze the machine, save the persistent flash, quit.
    monitor(tmp.sock, o.flash_state ? tmp.saved : nullptr, o.board->bundle_base, o.board->persistent_size);
    rc = app_status;
  } else if (timed_out) {
    kill(pid, SIGKILL);
    fprintf(stderr, "mcujs qemu: timeout: the app did not end within %g s\n", o.timeout_s);
    rc = 124;
  } else {
    rc = -1;
  }
  close(out[0]);
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  if (rc == -1) {
    rc = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    fprintf(stderr, "mcujs qemu: the board stopped before its app ended (status %d); flash state not saved\n", rc);
    return rc;
  }
  if (o.flash_state && app_status >= 0) {
    size_t len = 0;
    uint8_t* saved = read_file(tmp.saved, &len, err, sizeof err);
    if (saved && len != o.board->persistent_size) snprintf(err, sizeof err, "QEMU saved %lu bytes", static_cast<unsigned long>(len));
    bool ok = saved && len == o.board->persistent_size &&
              write_file(o.flash_state, saved, len, err, sizeof err);
    free(saved);
    if (!ok) {
      fprintf(stderr, "mcujs qemu: --flash-state: the flash was not saved: %s\n", err);
      return 1;
    }
  }
  return rc;
}

}  // namespace mcujs::cli
