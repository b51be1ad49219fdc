// Entry points of the binding modules. Each installs its globals into the
// runtime's context and keeps its per-runtime state in a Runtime slot.
#pragma once

#include "core/runtime.h"

namespace mcujs::bundle {
class Reader;
}  // namespace mcujs::bundle

namespace mcujs::bind {

struct NetConfig;

// What an app needs and how its embedder set up the runtime (install_all).
// mask: bundle::kFeature* bits (bundle/format.h), a bundle's manifest; the
// CLI gives every feature. console, timers, the network's state and photon
// are always installed.
struct Features {
  uint32_t mask = 0;
  // The context came from JS_NewContextRaw with only the base objects, JSON
  // and Promise (the device, whose heap is small): add the built-ins the mask
  // asks for (Date, RegExp, Map/Set, typed arrays). False: the context has them all.
  bool raw_context = false;
  const NetConfig* net = nullptr;  // null: the defaults
  // An image without the parser: the app's bundle, whose kJsText entries
  // hold the Web globals written in JavaScript, compiled (js_text.h); it
  // must outlive the runtime. Only the globals it has are defined.
  const bundle::Reader* js_texts = nullptr;
};

// The one start-up path of the CLI and the firmware: the built-ins and
// bindings f asks for. False with a pending exception.
bool install_all(core::Runtime& rt, const Features& f);

bool install_console(core::Runtime& rt);  // console.log/info/warn/error/debug
bool install_timers(core::Runtime& rt);   // setTimeout & co.
bool install_photon(core::Runtime& rt);   // the article's photon API
bool install_tls(core::Runtime& rt);      // tls.connect, TLSError
bool install_fetch(core::Runtime& rt);    // fetch, Response, Headers
bool install_board(core::Runtime& rt);    // photon.pin, pin constants, dht11 (after install_photon)
bool install_local_storage(core::Runtime& rt);  // localStorage on the platform's kv store (none without one)
bool install_encoding(core::Runtime& rt); // TextEncoder, TextDecoder, atob, btoa (lazy)
bool install_crypto(core::Runtime& rt);   // crypto.getRandomValues, randomUUID (lazy; the TLS DRBG)
bool install_abort(core::Runtime& rt);    // AbortController, AbortSignal (lazy)
bool install_web_misc(core::Runtime& rt); // URL, URLSearchParams, FormData, structuredClone, queueMicrotask (lazy)
bool install_blob(core::Runtime& rt);     // Blob (lazy)
bool install_streams(core::Runtime& rt);  // ReadableStream, WritableStream (lazy; JavaScript)

// The app's configuration (docs/outbox.md): reads config_file (JSON; null:
// none) into photon.config (deep-frozen) and installs photon.publish and
// photon.outbox. *has_cloud: the configuration has a "cloud" section. Call
// after install_photon and install_net.
bool install_config(core::Runtime& rt, const char* config_file, bool* has_cloud);
// Starts the outbox of the "cloud" section (if any), persisted in kv (the
// embedder's store on state_dir; null: none, which is an error with a cloud
// section). False with a pending exception naming the offending field.
bool install_outbox(core::Runtime& rt, port::KvStore* kv, const char* state_dir);
// After Runtime::run() returned `status` (0): delivers what is still queued
// (up to cloud.queue.drain_timeout_ms; no JS timers run meanwhile) and logs
// what is left. Returns status.
int drain_outbox(core::Runtime& rt, int status);

}  // namespace mcujs::bind
