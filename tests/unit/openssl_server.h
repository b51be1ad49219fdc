// Test helpers shared by the TLS unit tests: an `openssl s_server` child
// process on a loopback port, a free-port probe and a file reader. Host-only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace mcujs::test {

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

// One `openssl s_server` child process, run in `dir` (where the PKI is) with
// `fixed_args` before each start's own; killed (by its pid) on stop() and
// destruction.
class OpensslServer {
 public:
  OpensslServer(std::string dir, std::string fixed_args = "")
      : dir_(std::move(dir)), fixed_args_(std::move(fixed_args)) {}
  ~OpensslServer() { stop(); }
  OpensslServer(const OpensslServer&) = delete;
  OpensslServer& operator=(const OpensslServer&) = delete;

  // args: everything after "s_server -accept 127.0.0.1:PORT". want_port:
  // a given port (a restarted server, which waits for the port to be free).
  bool start(const std::string& args, uint16_t want_port = 0) {
    for (int attempt = 0; attempt < (want_port ? 40 : 3); attempt++) {
      port = want_port ? want_port : free_port();
      static int serial = 0;  // a restarted server must not find its predecessor's "ACCEPT"
      log_ = dir_ + "/server-" + std::to_string(port) + "-" + std::to_string(serial++) + ".log";
      std::string cmd = "cd '" + dir_ + "' && exec openssl s_server -accept 127.0.0.1:" + std::to_string(port) +
                        " " + fixed_args_ + " " + args + " > '" + log_ + "' 2>&1";
      // stdin is a pipe we keep open: s_server quits when its stdin ends.
      int in[2];
      if (pipe(in) != 0) return false;
      pid_ = fork();
      if (pid_ == 0) {
        dup2(in[0], 0);
        close(in[0]);
        close(in[1]);
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
      }
      close(in[0]);
      stdin_ = in[1];
      if (pid_ < 0) {
        stop();
        return false;
      }
      // Up to 5 s for the server to listen. "ACCEPT" is printed once it
      // does; a port probe alone could reach another test's server.
      for (int i = 0; i < 100; i++) {
        int status;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          break;  // exited: port taken (a restart waits for it) or bad arguments; retry
        }
        if (output().find("ACCEPT") != std::string::npos) return true;
        usleep(50 * 1000);
      }
      stop();
      if (want_port) usleep(100 * 1000);
    }
    return false;
  }

  void stop(int sig = SIGTERM) {
    if (pid_ > 0) {
      kill(pid_, sig);
      int status;
      for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; i++) usleep(20 * 1000);
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
      pid_ = -1;
    }
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
  }

  std::string output() const { return slurp(log_); }
  uint16_t port = 0;

 private:
  std::string dir_;
  std::string fixed_args_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::string log_;
};

}  // namespace mcujs::test
