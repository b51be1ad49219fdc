#include "core/module_loader.h"

#include <cstring>

#include "core/runtime.h"

namespace mcujs::core {

namespace {

constexpr size_t kMaxPath = 512;

char* normalize(JSContext* ctx, const char* base, const char* name, void*) {
  char buf[kMaxPath];
  if (!resolve_specifier(base, name, buf, sizeof buf)) {
    JS_ThrowRangeError(ctx, "module path too long: %s", name);
    return nullptr;
  }
  size_t n = strlen(buf);
  char* out = static_cast<char*>(js_malloc(ctx, n + 1));
  if (out) memcpy(out, buf, n + 1);
  return out;
}

JSModuleDef* load(JSContext* ctx, const char* name, void*) {
  Runtime* rt = Runtime::from(ctx);
  size_t len = 0;
  char* src = load_source(*rt, name, &len);
  if (!src) {
    JS_ThrowReferenceError(ctx, "could not load module '%s'", name);
    return nullptr;
  }
  JSValue fn = JS_Eval(ctx, src, len, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
  js_free(ctx, src);
  if (JS_IsException(fn)) return nullptr;
  set_import_meta(*rt, fn, name, false);
  auto* m = static_cast<JSModuleDef*>(JS_VALUE_GET_PTR(fn));
  JS_FreeValue(ctx, fn);  // the module stays referenced by the runtime
  return m;
}

uint8_t* alloc_js(void* opaque, size_t len) {
  return static_cast<uint8_t*>(js_malloc(static_cast<JSContext*>(opaque), len + 1));
}

}  // namespace

void install_module_loader(Runtime& rt) {
  JS_SetModuleLoaderFunc(rt.rt(), normalize, load, nullptr);
}

char* load_source(Runtime& rt, const char* path, size_t* len) {
  uint8_t* buf = nullptr;
  int32_t n = rt.platform().files->read(path, alloc_js, rt.ctx(), &buf);
  if (n < 0) {
    if (buf) js_free(rt.ctx(), buf);
    rt.log(port::LogLevel::kError, "cannot read '%s': %s", path, port::error_name(n));
    return nullptr;
  }
  buf[n] = 0;
  *len = static_cast<size_t>(n);
  return reinterpret_cast<char*>(buf);
}

void set_import_meta(Runtime& rt, JSValueConst module_func, const char* name, bool is_main) {
  JSContext* ctx = rt.ctx();
  auto* m = static_cast<JSModuleDef*>(JS_VALUE_GET_PTR(module_func));
  JSValue meta = JS_GetImportMeta(ctx, m);
  if (JS_IsException(meta)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    return;
  }
  JS_SetPropertyStr(ctx, meta, "url", JS_NewString(ctx, name));
  JS_SetPropertyStr(ctx, meta, "main", JS_NewBool(ctx, is_main));
  JS_FreeValue(ctx, meta);
}

bool resolve_specifier(const char* base, const char* spec, char* out, size_t cap) {
  bool relative = strncmp(spec, "./", 2) == 0 || strncmp(spec, "../", 3) == 0;
  size_t n = 0;
  if (relative && base) {
    const char* slash = strrchr(base, '/');
    size_t dir = slash ? static_cast<size_t>(slash - base) : 0;
    if (dir + 1 >= cap) return false;
    memcpy(out, base, dir);
    n = dir;
  }
  // Append spec segment by segment, folding "." and "..".
  const char* p = spec;
  bool absolute = relative ? (base && base[0] == '/') : spec[0] == '/';
  if (!relative && absolute) out[n++] = '/';
  while (*p) {
    const char* seg = p;
    while (*p && *p != '/') p++;
    size_t sl = static_cast<size_t>(p - seg);
    if (*p == '/') p++;
    if (sl == 0 || (sl == 1 && seg[0] == '.')) continue;
    if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
      // Drop the last segment, unless there is none left to drop; the
      // parent of the root is the root.
      if (absolute && n <= 1) continue;
      size_t k = n;
      while (k > 0 && out[k - 1] != '/') k--;
      bool last_is_dotdot = n - k == 2 && out[k] == '.' && out[k + 1] == '.';
      if (n > (absolute ? 1u : 0u) && !last_is_dotdot) {
        n = k > 0 ? k - 1 : 0;
        if (absolute && n == 0) n = 1;
        continue;
      }
    }
    if (n > 0 && out[n - 1] != '/') {
      if (n + 1 >= cap) return false;
      out[n++] = '/';
    }
    if (n + sl >= cap) return false;
    memcpy(out + n, seg, sl);
    n += sl;
  }
  out[n] = 0;
  return true;
}

}  // namespace mcujs::core
