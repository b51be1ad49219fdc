#include "core/module_loader.h"

#include <gtest/gtest.h>

#include <string>

using mcujs::core::resolve_specifier;

static std::string resolve(const char* base, const char* spec) {
  char out[128];
  if (!resolve_specifier(base, spec, out, sizeof out)) return "<too long>";
  return out;
}

TEST(ModuleLoader, RelativeToImportingFile) {
  EXPECT_EQ(resolve("app/main.js", "./sensors.js"), "app/sensors.js");
  EXPECT_EQ(resolve("app/main.js", "./lib/x.js"), "app/lib/x.js");
  EXPECT_EQ(resolve("app/sub/main.js", "../x.js"), "app/x.js");
  EXPECT_EQ(resolve("main.js", "./x.js"), "x.js");
  EXPECT_EQ(resolve("/abs/dir/main.js", "./x.js"), "/abs/dir/x.js");
}

TEST(ModuleLoader, FoldsDotSegments) {
  EXPECT_EQ(resolve("a/b/main.js", "./c/./d/../e.js"), "a/b/c/e.js");
  EXPECT_EQ(resolve("/a/main.js", "../../x.js"), "/x.js");
  EXPECT_EQ(resolve("main.js", "../x.js"), "../x.js");
  EXPECT_EQ(resolve("../up/main.js", "../x.js"), "../x.js");
}

TEST(ModuleLoader, NonRelativeTakenAsGiven) {
  EXPECT_EQ(resolve("app/main.js", "/etc/x.js"), "/etc/x.js");
  EXPECT_EQ(resolve("app/main.js", "lib/x.js"), "lib/x.js");
}

TEST(ModuleLoader, RefusesOverlongPaths) {
  std::string longname(200, 'a');
  EXPECT_EQ(resolve("main.js", ("./" + longname).c_str()), "<too long>");
}
