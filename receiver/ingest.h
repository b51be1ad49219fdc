// POST <path>: the devices' events, in the article's wire format
// (application/x-www-form-urlencoded: event, data, coreid, id; the Secret
// header). Validates, authenticates, stores, answers after the COMMIT.
#pragma once
#include <map>
#include <string>

#include "auth.h"
#include "config.h"
#include "store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mcujs_receiver {

class Mailer;

// Strict application/x-www-form-urlencoded decoding: every pair has '=',
// names are non-empty and unique, %XX escapes are complete. False if not.
bool parse_form(const std::string& body, std::map<std::string, std::string>* out);

// Particle-style event name: 1..63 printable ASCII characters, no spaces.
bool valid_event_name(const std::string& s);

class Ingest {
 public:
  Ingest(const Config& cfg, Store& store, const DeviceAuth& auth, Mailer& mailer);
  void handle(const httplib::Request& req, httplib::Response& res);

 private:
  const Config& cfg_;
  Store& store_;
  const DeviceAuth& auth_;
  Mailer& mailer_;
};

// Writes {"error": message} with the status.
void json_error(httplib::Response& res, int status, const std::string& message);

}  // namespace mcujs_receiver
