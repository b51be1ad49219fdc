// ES module resolution and loading. Specifiers starting with "./" or "../"
// resolve against the importing module's path; others are taken as given.
// Sources come from the port's Files (a file system, or a table in flash).
#pragma once

#include <cstddef>

#include "quickjs.h"

namespace mcujs::core {

class Runtime;

void install_module_loader(Runtime& rt);

// Reads a whole source file into js_malloc'ed, NUL-terminated memory; logs
// and returns nullptr on failure.
char* load_source(Runtime& rt, const char* path, size_t* len);

// Sets import.meta.url (and .main) on a compiled module.
void set_import_meta(Runtime& rt, JSValueConst module_func, const char* name, bool is_main);

// Joins base's directory with a relative specifier and folds "." and ".."
// segments: ("app/main.js", "./lib/x.js") -> "app/lib/x.js". Returns false
// if the result does not fit in cap.
bool resolve_specifier(const char* base, const char* spec, char* out, size_t cap);

}  // namespace mcujs::core
