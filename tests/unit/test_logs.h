// Log sinks for tests: NullLog drops every message; CaptureLog keeps each
// one as a line of `text`, for assertions on what was logged.
#pragma once

#include <cstddef>
#include <string>

#include "port/port.h"

namespace mcujs::test {

class NullLog final : public port::LogSink {
 public:
  void write(port::LogLevel, const char*, size_t) override {}
};

class CaptureLog final : public port::LogSink {
 public:
  void write(port::LogLevel, const char* msg, size_t len) override {
    text.append(msg, len);
    text += "\n";
  }
  std::string text;
};

}  // namespace mcujs::test
