// POST <path>: the devices' events, in the article's wire format
// (application/x-www-form-urlencoded: event, data, coreid, id; the Secret
// header). Validates, authenticates, hands the event to the group commit and
// answers after the COMMIT.
#pragma once
#include <string>

#include "auth.h"
#include "config.h"
#include "group_commit.h"
#include "router.h"

namespace mcujs_receiver {

class Mailer;

// Particle-style event name: 1..63 printable ASCII characters, no spaces.
bool valid_event_name(const std::string& s);

class Ingest {
 public:
  Ingest(const Config& cfg, GroupCommitter& committer, const DeviceAuth& auth, Mailer& mailer);
  void handle(const http::Request& req, http::Respond done);

 private:
  const Config& cfg_;
  GroupCommitter& committer_;
  const DeviceAuth& auth_;
  Mailer& mailer_;
};

}  // namespace mcujs_receiver
