// The receiver's configuration: a JSON file (--config) and command-line
// flags that override it. docs/receiver.md lists every key.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mcujs_receiver {

struct Device {
  std::string coreid;
  std::string secret;       // may be empty when cert_sha256 is given
  std::string cert_sha256;  // optional: SHA-256 of the device's certificate (DER), lowercase hex
  std::string name;         // optional display name
};

struct Config {
  std::string listen_host = "127.0.0.1";
  int port = 8443;        // 0: the kernel picks one (see port_file)
  std::string cert, key;  // PEM: certificate chain (leaf first) and its key
  std::string db = "receiver.db";
  std::string path = "/events";  // where devices POST
  std::vector<Device> devices;
  // Mutual TLS (optional): devices presenting a certificate issued by this CA
  // are the coreid in its subject CN; per-device cert_sha256 pins one.
  std::string client_ca;
  std::string shared_secret;    // optional: accepted for any well-formed coreid
  std::string dashboard_token;  // empty: the API and dashboard refuse everyone
  size_t max_body = 4096;
  // Largest record plaintext we send (SSL_CTX_set_max_send_fragment,
  // 512..16384): 4096 so that 128 KB devices with 4 KB TLS receive buffers
  // can connect (docs/receiver.md). OpenSSL 3.0 ignores their
  // record_size_limit and Mbed TLS 3.6 sends no max_fragment_length in TLS 1.3.
  int max_send_fragment = 4096;
  // The whole request head must arrive within this from its first byte, and
  // the whole body within this from the end of the head (not per read).
  int read_timeout_s = 10;
  int threads = 0;  // worker threads; 0: one per core
  int idle_timeout_s = 5;  // an idle keep-alive connection is closed after this
  int max_connections = 16384;
  int max_connections_per_client = 256;  // per client IP address
  // Alarm e-mail (off when smtp_url is empty).
  std::string smtp_url;        // smtp://host:port or smtps://host:port
  bool smtp_starttls = false;  // require STARTTLS on smtp://
  std::string mail_from, mail_subject = "mcujs alarm";
  std::vector<std::string> mail_to;
  int64_t alarm_min_period_s = 300;
  std::string port_file;  // written with the bound port once listening
  bool verbose = false;
};

enum class ParseResult { kOk, kExit, kError };

// Parses argv (loading --config first, then applying the other flags).
// kExit: --help/--version was handled; kError: *error says what is wrong.
ParseResult parse_args(int argc, char** argv, Config* cfg, std::string* error);
// Loads a JSON config file into *cfg (relative paths in it are taken
// relative to the file's directory).
bool load_config_file(const std::string& file, Config* cfg, std::string* error);
// Checks the final configuration (files given, names well-formed...).
bool validate(const Config& cfg, std::string* error);
const char* usage();

// Well-formed device id: 1..64 of [A-Za-z0-9._:-].
bool valid_coreid(const std::string& s);

}  // namespace mcujs_receiver
