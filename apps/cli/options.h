// Command-line options of the mcujs CLI, parsed without allocation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/runtime.h"
#include "modules/bindings/net_common.h"

namespace mcujs::cli {

enum class Command : uint8_t { kRun, kHelp, kVersion };
enum class EntropyChoice : uint8_t { kSystem, kPrng };

struct CliOptions {
  static constexpr int kMaxCaFiles = 16;
  Command command = Command::kHelp;
  core::RuntimeOptions runtime;
  bind::NetConfig net;
  const char* ca_files[kMaxCaFiles] = {};
  EntropyChoice entropy = EntropyChoice::kSystem;
  // Device simulation (issue 3): the app's configuration (JSON, exposed as
  // photon.config and configuring the outbox), where the key-value store
  // keeps its files (the outbox), the board scenario, the output trace.
  const char* config_file = nullptr;
  const char* state_dir = nullptr;
  const char* scenario_file = nullptr;
  const char* trace_file = nullptr;
  const char* script = nullptr;
  int script_argc = 0;        // the script and its arguments (scriptArgs)
  char** script_argv = nullptr;
};

// Parses argv; on failure writes a one-line reason into err and returns false.
bool parse_options(int argc, char** argv, CliOptions* out, char* err, size_t err_len);

// "64m" -> 67108864; false on garbage or overflow.
bool parse_size(const char* s, size_t* out);

extern const char kUsage[];

}  // namespace mcujs::cli
