// The requests and responses the routes see: a parsed HTTP/1.1 request
// (method, path, query, headers, body) and a response that serializes to
// one buffer, so that it leaves in one write.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcujs_receiver::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // target up to '?'
  std::map<std::string, std::string> params;  // the query, or a POSTed form on /login
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_addr;
  const char* tls_version = "";  // "TLSv1.3", from OpenSSL
  int version = 11;              // 10: HTTP/1.0
  // The client certificate, if the device sent one (mutual TLS).
  std::string client_cert_sha256;  // lowercase hex of the DER's SHA-256
  std::string client_cert_cn;      // subject CN
  bool client_cert_verified = false;  // chains to the configured client_ca
  // How long after this connection's previous answer the request arrived
  // (microseconds; -1 for its first request): how fast devices come back,
  // for the group commit's gather step.
  int64_t since_answer_us = -1;

  // The first header `name` (case-insensitive), "" if none.
  std::string get_header_value(std::string_view name) const;
  bool has_param(const std::string& name) const { return params.count(name) != 0; }
  std::string get_param_value(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;   // close the connection after this response
  bool logged = false;  // the handler logged this request itself

  void set_content(std::string content, const char* type);
  void set_content(const char* data, size_t size, const char* type) { set_content(std::string(data, size), type); }
  // Replaces a header of that name (case-insensitive).
  void set_header(std::string_view name, std::string value);
  // Status line, headers (+ Content-Length, Connection), body: one buffer.
  std::string serialize(bool head_only) const;
};

const char* reason_phrase(int status);
bool iequals(std::string_view a, std::string_view b);
// Fills path and params from target; false if the query is not a strict form.
bool split_target(Request* req);

}  // namespace mcujs_receiver::http
