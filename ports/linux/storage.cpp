// Files, the key-value store and the in-memory GPIO bank on Linux.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "ports/linux/linux_port.h"

namespace mcujs::linux_port {

int32_t LinuxFiles::read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? port::kNotFound : port::kIo;
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 0x7ffffffe) {
    close(fd);
    return port::kIo;
  }
  size_t len = static_cast<size_t>(st.st_size);
  uint8_t* buf = alloc(opaque, len);
  if (!buf) { close(fd); return port::kNoMemory; }
  size_t got = 0;
  while (got < len) {
    ssize_t n = ::read(fd, buf + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  *out = buf;
  return got == len ? static_cast<int32_t>(len) : port::kIo;
}

DirKvStore::DirKvStore(const char* dir) {
  snprintf(dir_, sizeof dir_, "%s", dir ? dir : "");
}

// The key rule of port/port.h (port::valid_key) is also what makes a key a
// safe file name: no '/', no leading '.'.
bool DirKvStore::path_for(const char* key, char* out, size_t cap, const char* suffix) {
  if (!dir_[0] || !port::valid_key(key)) return false;
  int n = snprintf(out, cap, "%s/%s%s", dir_, key, suffix);
  return n > 0 && static_cast<size_t>(n) < cap;
}

int32_t DirKvStore::get(const char* key, uint8_t* buf, size_t cap) {
  char path[352];
  if (!path_for(key, path, sizeof path, "")) return dir_[0] ? port::kInvalid : port::kUnsupported;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? port::kNotFound : port::kIo;
  struct stat st{};
  if (fstat(fd, &st) != 0 || st.st_size > 0x7fffffff) { close(fd); return port::kIo; }
  size_t want = static_cast<size_t>(st.st_size) < cap ? static_cast<size_t>(st.st_size) : cap;
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd, buf + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  return got == want ? static_cast<int32_t>(st.st_size) : port::kIo;
}

int32_t DirKvStore::put(const char* key, const uint8_t* val, size_t len) {
  char path[352], tmp[352];
  if (!path_for(key, path, sizeof path, "") || !path_for(key, tmp, sizeof tmp, ".tmp"))
    return dir_[0] ? port::kInvalid : port::kUnsupported;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 && errno == ENOENT && mkdir(dir_, 0700) == 0)  // the state directory, on its first write
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return port::kIo;
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::write(fd, val + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) { close(fd); unlink(tmp); return port::kIo; }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) { unlink(tmp); return port::kIo; }
  int dfd = open(dir_, O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // make the rename durable
  if (dfd >= 0) { fsync(dfd); close(dfd); }
  return port::kOk;
}

int32_t DirKvStore::remove(const char* key) {
  char path[352];
  if (!path_for(key, path, sizeof path, "")) return dir_[0] ? port::kInvalid : port::kUnsupported;
  if (unlink(path) != 0) return errno == ENOENT ? port::kNotFound : port::kIo;
  return port::kOk;
}

int32_t MemoryGpio::set_mode(uint16_t pin, port::PinMode mode) {
  if (pin >= kPins) return port::kInvalid;
  mode_[pin] = mode;
  return port::kOk;
}

int32_t MemoryGpio::write(uint16_t pin, uint16_t value) {
  if (pin >= kPins) return port::kInvalid;
  value_[pin] = value;
  return port::kOk;
}

int32_t MemoryGpio::read(uint16_t pin, uint16_t* value) {
  if (pin >= kPins || !value) return port::kInvalid;
  *value = value_[pin];
  return port::kOk;
}

LinuxPlatform::LinuxPlatform(const char* kv_dir)
    : kv_(kv_dir),
      platform_{.clock = &clock_,
                .entropy = &entropy_,
                .log = &log_,
                .tcp = &tcp_,
                .poller = &tcp_,
                .files = &files_,
                .gpio = &gpio_,
                .kv = kv_dir ? &kv_ : nullptr} {}

}  // namespace mcujs::linux_port
