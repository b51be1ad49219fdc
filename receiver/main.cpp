// mcujs-receiver: flags, TLS setup, wiring, signals. See docs/receiver.md.
#include <curl/curl.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "ingest.h"
#include "log.h"
#include "mailer.h"
#include "store.h"

namespace {

using namespace mcujs_receiver;

std::string openssl_error() {
  char buf[256] = "unknown error";
  if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

// TLS 1.2 and 1.3 only; for 1.2 forward-secret AEAD suites only. Records we
// send carry at most cfg.max_send_fragment bytes (default 4096), so that
// 128 KB devices with 4 KB receive buffers can connect: OpenSSL 3.0 ignores
// the TLS 1.3 record_size_limit they send, and Mbed TLS 3.6 asks for
// max_fragment_length in TLS 1.2 only.
bool setup_tls(SSL_CTX& ctx, const Config& cfg, std::string* error) {
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(&ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1 ||
      SSL_CTX_set_max_send_fragment(&ctx, static_cast<long>(cfg.max_send_fragment)) != 1) {
    *error = "TLS setup: " + openssl_error();
    return false;
  }
  if (SSL_CTX_use_certificate_chain_file(&ctx, cfg.cert.c_str()) != 1) {
    *error = "cannot load certificate chain " + cfg.cert + ": " + openssl_error();
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, cfg.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = "cannot load private key " + cfg.key + ": " + openssl_error();
    return false;
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    *error = "the key " + cfg.key + " does not match the certificate " + cfg.cert;
    return false;
  }
  return true;
}

bool write_port_file(const std::string& path, int port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;  // readers never see half a file
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  std::string error;
  switch (parse_args(argc, argv, &cfg, &error)) {
    case ParseResult::kExit:
      return 0;
    case ParseResult::kError:
      fprintf(stderr, "mcujs-receiver: %s\n", error.c_str());
      return 2;
    case ParseResult::kOk:
      break;
  }
  if (!validate(cfg, &error)) {
    fprintf(stderr, "mcujs-receiver: %s\n", error.c_str());
    return 2;
  }
  if (cfg.dashboard_token.empty())
    log_warn("no dashboard_token configured: the dashboard and API refuse everyone");
  else if (cfg.dashboard_token.size() < 16)
    log_warn("dashboard_token is shorter than 16 characters: easy to guess");

  // Signals go to the thread that waits for them, not to httplib's threads.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that goes away must not kill us

  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    log_error("curl_global_init failed");
    return 1;
  }
  // TLS first: a wrong certificate path should not leave a new database behind.
  std::string tls_error;
  httplib::SSLServer svr([&](SSL_CTX& ctx) { return setup_tls(ctx, cfg, &tls_error); });
  if (!svr.is_valid()) {
    log_error(tls_error.empty() ? "TLS setup failed: " + openssl_error() : tls_error);
    return 1;
  }
  Store store;
  if (!store.open(cfg.db, &error)) {
    log_error(error);
    return 1;
  }
  DeviceAuth auth(cfg);
  Mailer mailer(cfg, store);
  Ingest ingest(cfg, store, auth, mailer);

  const int threads = cfg.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  svr.set_payload_max_length(cfg.max_body);
  svr.set_read_timeout(cfg.read_timeout_s, 0);
  svr.set_write_timeout(cfg.read_timeout_s, 0);
  // An idle keep-alive connection holds a thread: not longer than needed.
  svr.set_keep_alive_timeout(std::min(cfg.read_timeout_s, 5));
  // SO_REUSEADDR for quick restarts, but not httplib's default SO_REUSEPORT,
  // which would let another process bind the same port next to us.
  svr.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* what = res.status == 413 ? "body too large" : res.status == 404 ? "not found" : "request refused";
    json_error(res, res.status, what);
    return httplib::Server::HandlerResponse::Handled;
  }));
  svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) { what = e.what(); } catch (...) {
    }
    log_error("500 " + req.method + " " + req.path + ": " + what);
    json_error(res, 500, "internal error");
  });
  const bool verbose = cfg.verbose;
  svr.set_logger([verbose](const httplib::Request& req, const httplib::Response& res) {
    if (take_request_logged()) return;
    if (req.method.empty())
      log_warn(std::to_string(res.status) + " unparsable request");
    else if (res.status >= 400)
      log_warn(std::to_string(res.status) + " " + req.method + " " + req.path + " from " + req.remote_addr);
    else if (verbose)
      log_info(std::to_string(res.status) + " " + req.method + " " + req.path);
  });

  svr.Post(cfg.path, [&ingest](const httplib::Request& req, httplib::Response& res) { ingest.handle(req, res); });
  register_api(svr, cfg, store, auth);

  int port = cfg.port;
  if (port == 0) {
    port = svr.bind_to_any_port(cfg.listen_host);
    if (port < 0) port = 0;
  } else if (!svr.bind_to_port(cfg.listen_host, port)) {
    port = 0;
  }
  if (port == 0) {
    log_error("cannot listen on " + cfg.listen_host + ":" + std::to_string(cfg.port) + " (address in use?)");
    return 1;
  }
  if (!cfg.port_file.empty() && !write_port_file(cfg.port_file, port)) {
    log_error("cannot write the port file " + cfg.port_file);
    return 1;
  }
  mailer.start();
  log_info("listening on https://" + cfg.listen_host + ":" + std::to_string(port) + " (TLS 1.2/1.3), events at " +
           cfg.path + ", " + std::to_string(cfg.devices.size()) + " device(s), alarm mail " +
           (mailer.enabled() ? "to " + cfg.mail_to.front() + " at most every " +
                                   std::to_string(cfg.alarm_min_period_s) + " s per device"
                             : "off") +
           ", database " + cfg.db);

  std::atomic<bool> finished{false};
  std::thread waiter([&] {
    while (!finished) {
      timespec tick{0, 200 * 1000 * 1000};
      int sig = sigtimedwait(&stop_signals, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        log_info(std::string("stopping (") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ")");
        // stop() is a no-op until the accept loop runs: wait for it (bounded
        // by the loop failing, which sets `finished`).
        while (!svr.is_running() && !finished) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        svr.stop();
        return;
      }
    }
  });
  bool ok = svr.listen_after_bind();  // returns after stop(), requests finished
  finished = true;
  waiter.join();
  mailer.stop();
  store.close();
  curl_global_cleanup();
  if (!cfg.port_file.empty()) std::remove(cfg.port_file.c_str());
  log_info("stopped");
  return ok ? 0 : 1;
}
