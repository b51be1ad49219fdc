// PostgreSQL storage (libpq), for several receiver instances sharing one
// database: the same schema and answers as SQLite; de-duplication by the
// UNIQUE(coreid, event_id) constraint, one alarm mail per device and period
// fleet-wide (the device's alarm_mail_state row is locked FOR UPDATE inside
// the insert transaction), each queued mail sent by one instance (claimed
// with FOR UPDATE SKIP LOCKED and a lease). docs/receiver.md, "Several
// instances".
#pragma once
#include <memory>
#include <string>

#include "store.h"

namespace mcujs_receiver {

std::unique_ptr<Store> open_pg_store(const std::string& uri, std::string* error);

}  // namespace mcujs_receiver
