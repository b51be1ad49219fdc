// mcujs-receiver: flags, TLS setup, wiring, signals. See docs/receiver.md.
#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/resource.h>

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
#include "group_commit.h"
#include "ingest.h"
#include "log.h"
#include "mailer.h"
#include "server.h"
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
  // Mutual TLS: ask devices for a certificate (not required: others use
  // the Secret header). Any certificate passes the handshake; the ingest
  // binds it to the coreid (pinned SHA-256, or CN under client_ca).
  bool pinned = false;
  for (const Device& d : cfg.devices) pinned = pinned || !d.cert_sha256.empty();
  if (!cfg.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(&ctx, cfg.client_ca.c_str(), nullptr) != 1) {
      *error = "cannot load client_ca " + cfg.client_ca + ": " + openssl_error();
      return false;
    }
    SSL_CTX_set_client_CA_list(&ctx, SSL_load_client_CA_file(cfg.client_ca.c_str()));
  }
  if (!cfg.client_ca.empty() || pinned)
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  // Reconnecting devices resume: TLS 1.3 tickets and 1.2 tickets/session
  // IDs (the server-side cache); idle connections keep no record buffers.
  static const unsigned char kSessionContext[] = "mcujs-receiver";
  SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_session_cache_mode(&ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(&ctx, 20480);
  SSL_CTX_set_timeout(&ctx, 2 * 3600);
  SSL_CTX_set_mode(&ctx, SSL_MODE_RELEASE_BUFFERS);
  return true;
}

// Enough descriptors for max_connections (+ the database, logs, SMTP).
void raise_fd_limit(const Config& cfg) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  rlim_t want = static_cast<rlim_t>(cfg.max_connections) + 64;
  if (rl.rlim_cur >= want) return;
  rl.rlim_cur = std::min(want, rl.rlim_max);
  setrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < want)
    log_warn("max_connections " + std::to_string(cfg.max_connections) + " is above the descriptor limit " +
             std::to_string(rl.rlim_cur) + " (ulimit -n): connections beyond it wait in the backlog");
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

  // Signals go to the thread that waits for them, not to the server's threads.
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
  SSL_CTX* ssl_ctx = SSL_CTX_new(TLS_server_method());
  if (!ssl_ctx || !setup_tls(*ssl_ctx, cfg, &error)) {
    log_error(error.empty() ? "TLS setup failed: " + openssl_error() : error);
    SSL_CTX_free(ssl_ctx);
    return 1;
  }
  std::unique_ptr<Store> store_owner = open_store(cfg.db, &error);
  if (!store_owner) {
    log_error(error);
    SSL_CTX_free(ssl_ctx);
    return 1;
  }
  raise_fd_limit(cfg);
  DeviceAuth auth(cfg);
  Store& store = *store_owner;
  Mailer mailer(cfg, store);
  GroupCommitter committer(store);
  Ingest ingest(cfg, committer, auth, mailer);

  http::Router router;
  router.set_verbose(cfg.verbose);
  router.post_async(cfg.path, [&ingest](const http::Request& req, http::Respond done) {
    ingest.handle(req, std::move(done));
  });
  register_api(router, cfg, store, auth);

  http::ServerOptions opts;
  opts.host = cfg.listen_host;
  opts.port = cfg.port;
  opts.threads = cfg.threads;
  opts.limits.max_body = cfg.max_body;
  opts.head_timeout = opts.body_timeout = opts.write_timeout = std::chrono::seconds(cfg.read_timeout_s);
  opts.idle_timeout = std::chrono::seconds(cfg.idle_timeout_s);
  opts.max_connections = cfg.max_connections;
  opts.max_per_client = cfg.max_connections_per_client;
  http::Server svr(opts, ssl_ctx, router);
  SSL_CTX_free(ssl_ctx);  // the server holds its own reference
  int port = svr.listen(&error);
  if (port == 0) {
    log_error(error + " (address in use?)");
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
           ", database " + (is_postgres_uri(cfg.db) ? std::string("PostgreSQL") : cfg.db));

  // Answers go out from the server's threads: the committer goes on to the
  // next group while they are written.
  committer.set_answerer([&svr](std::function<void()> f) { svr.post(std::move(f)); });
  committer.start();
  std::atomic<bool> finished{false};
  std::thread waiter([&] {
    while (!finished) {
      timespec tick{0, 200 * 1000 * 1000};
      int sig = sigtimedwait(&stop_signals, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        log_info(std::string("stopping (") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ")");
        svr.stop();
        return;
      }
    }
  });
  svr.run();  // returns after stop(), requests answered
  finished = true;
  waiter.join();
  committer.stop();
  if (GroupCommitter::Stats st = committer.stats(); st.groups > 0) {
    char line[512];
    snprintf(line, sizeof line,
             "group commit: %lld events in %lld groups (%.1f per group, largest %lld), commit %.2f ms per group "
             "(%.2f ms in the COMMIT statement: WAL writes and fsync), an event waited %.2f ms for its group to start, "
             "devices came back %.2f ms after their answer",
             static_cast<long long>(st.events), static_cast<long long>(st.groups),
             static_cast<double>(st.events) / static_cast<double>(st.groups), static_cast<long long>(st.largest),
             st.commit_ms / static_cast<double>(st.groups), st.sync_ms / static_cast<double>(st.groups),
             st.queued_ms / static_cast<double>(st.events), st.return_ms);
    log_info(line);
  }
  mailer.stop();
  store_owner.reset();
  curl_global_cleanup();
  if (!cfg.port_file.empty()) std::remove(cfg.port_file.c_str());
  log_info("stopped");
  return 0;
}
