// The JSON API (/api/devices, /api/readings, /api/alarms), /healthz and the
// dashboard routes (/, /login, /app.js, /style.css), with the security
// headers every response carries.
#pragma once
#include "auth.h"
#include "config.h"
#include "router.h"
#include "store.h"


namespace mcujs_receiver {

void register_api(http::Router& router, const Config& cfg, Store& store, const DeviceAuth& auth);

}  // namespace mcujs_receiver
