// The one start-up path (issue 10): the CLI gives every feature, the
// firmware what its bundle's manifest asks for.
#include "bundle/format.h"
#include "modules/bindings/install.h"
#include "modules/bindings/js_text.h"
#include "modules/bindings/net_common.h"

namespace mcujs::bind {

namespace {

bool has(const Features& f, uint32_t bit) { return (f.mask & bit) != 0; }

// On a raw context: only what the app needs (each built-in costs heap at boot).
void add_intrinsics(JSContext* ctx, const Features& f) {
  if (has(f, bundle::kFeatureDate)) JS_AddIntrinsicDate(ctx);
  if (has(f, bundle::kFeatureRegExp)) JS_AddIntrinsicRegExp(ctx);
  if (has(f, bundle::kFeatureMapSet)) JS_AddIntrinsicMapSet(ctx);
  // tls and fetch move bytes in and out as typed arrays.
  if (has(f, bundle::kFeatureTypedArrays | bundle::kFeatureTls | bundle::kFeatureFetch))
    JS_AddIntrinsicTypedArrays(ctx);
}

// Whether the bundle of a raw context has any of the Web globals written in
// JavaScript: only then are they (and queueMicrotask, which they use) defined.
bool any_js_text(JSContext* ctx) {
  for (size_t i = 0; i < static_cast<size_t>(JsText::kCount); i++)
    if (has_js_text(ctx, static_cast<JsText>(i))) return true;
  return false;
}

}  // namespace

bool install_all(core::Runtime& rt, const Features& f) {
  if (f.raw_context) add_intrinsics(rt.ctx(), f);
  const NetConfig defaults{};
  if (!install_console(rt) || !install_timers(rt) || !install_net(rt, f.net ? *f.net : defaults) ||
      !install_photon(rt))
    return false;
  if (has(f, bundle::kFeatureBoard) && !install_board(rt)) return false;
  if (has(f, bundle::kFeatureTls) && !install_tls(rt)) return false;
  if (has(f, bundle::kFeatureFetch) && !install_fetch(rt)) return false;
  // Lazy globals (created on first use, docs/fetch.md): localStorage always;
  // the byte-moving Web classes where typed arrays are; the ones written in
  // JavaScript (web_js.cpp) need the parser, which only a full context has,
  // or their bytecode from the app's bundle (each one the bundle has).
  if (!install_local_storage(rt)) return false;
  if (has(f, bundle::kFeatureTypedArrays | bundle::kFeatureTls | bundle::kFeatureFetch) &&
      (!install_encoding(rt) || !install_crypto(rt) || !install_blob(rt)))
    return false;
  if (f.js_texts) rt.set_slot(core::Slot::kJsText, const_cast<bundle::Reader*>(f.js_texts), nullptr);
  const bool web_js = !f.raw_context || (f.js_texts && any_js_text(rt.ctx()));
  if (web_js && (!install_abort(rt) || !install_web_misc(rt) || !install_streams(rt))) return false;
  return true;
}

}  // namespace mcujs::bind
