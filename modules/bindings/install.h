// Entry points of the binding modules. Each installs its globals into the
// runtime's context and keeps its per-runtime state in a Runtime slot.
#pragma once

#include "core/runtime.h"

namespace mcujs::bind {

bool install_console(core::Runtime& rt);  // console.log/info/warn/error/debug
bool install_timers(core::Runtime& rt);   // setTimeout & co.
bool install_photon(core::Runtime& rt);   // the article's photon API
bool install_tls(core::Runtime& rt);      // tls.connect, TLSError
bool install_fetch(core::Runtime& rt);    // fetch, Response, Headers

}  // namespace mcujs::bind
