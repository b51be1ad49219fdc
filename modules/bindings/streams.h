// ReadableStream/WritableStream (modules/bindings/streams.cpp, JavaScript
// evaluated on first use) and the hooks the Body mixin and fetch call.
#pragma once

#include "quickjs.h"

namespace mcujs::bind {

// True once this context has evaluated the streams (a stream can exist).
bool streams_created(JSContext* ctx);
// v is one of our ReadableStreams (false, without evaluating anything,
// before the first stream exists).
bool is_stream(JSContext* ctx, JSValueConst v);
// Calls hooks[hook](...argv) (evaluating the streams first if needed):
// isStream, fromBytes(u8, used), readAll(s, fn), consume(s, kind, type, fn),
// proxy(s), disturbed(s), unusable(s), tee(s).
JSValue stream_call(JSContext* ctx, const char* hook, int argc, JSValueConst* argv);
// A boolean hook on one stream: 1, 0, or -1 with an exception.
int stream_test(JSContext* ctx, const char* hook, JSValueConst stream);

}  // namespace mcujs::bind
