// The app bundle's byte layout (docs/firmware.md, "Bundles"): what
// `mcujs bundle` writes on the host and the runtime image reads from its
// flash partition. Little-endian, every field at its natural alignment.
//
//   header (128 bytes) | entry table (entry_count x 64 bytes) | data (4-aligned)
//
// The SHA-256 covers every byte of the bundle except its own 32 bytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::bundle {

inline constexpr char kMagic[8] = {'m', 'c', 'u', 'j', 's', 'B', 'D', 'L'};
inline constexpr uint16_t kFormatVersion = 1;
inline constexpr uint32_t kHeaderSize = 128;
inline constexpr uint32_t kEntrySize = 64;
inline constexpr uint32_t kMaxEntries = 64;
inline constexpr size_t kBoardLen = 24;     // NUL-padded
inline constexpr size_t kQuickJsLen = 16;   // NUL-padded, e.g. "2025-04-26"
inline constexpr size_t kNameLen = 52;      // NUL-terminated within the field

// Header field offsets.
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffFormat = 8;       // u16
inline constexpr size_t kOffHeaderSize = 10;  // u16
inline constexpr size_t kOffLength = 12;      // u32: whole bundle
inline constexpr size_t kOffBoard = 16;
inline constexpr size_t kOffQuickJs = 40;
inline constexpr size_t kOffBytecode = 56;    // u8: QuickJS's BC_VERSION (first byte of its bytecode)
inline constexpr size_t kOffFeatures = 60;    // u32: the manifest (kFeature*)
inline constexpr size_t kOffEntryCount = 64;  // u32
inline constexpr size_t kOffSha256 = 96;      // 32 bytes, to the header's end

// Entry field offsets (relative to the entry).
inline constexpr size_t kEntKind = 0;    // u32 (Kind)
inline constexpr size_t kEntOffset = 4;  // u32 from the bundle's start
inline constexpr size_t kEntSize = 8;    // u32
inline constexpr size_t kEntName = 12;   // kNameLen bytes

enum class Kind : uint32_t {
  kModule = 1,      // ES module bytecode, loaded before the main one
  kMainModule = 2,  // the entry point: exactly one, evaluated
  kFile = 3,        // a data file (config.json, ca.pem), read through port::Files
  kJsText = 4,      // a Web global written in JavaScript, compiled (modules/bindings/js_text.h)
};

// The manifest: what the app needs beyond console, timers and photon (which
// every app gets). The runtime refuses a bundle needing what it lacks.
inline constexpr uint32_t kFeatureDate = 1u << 0;
inline constexpr uint32_t kFeatureRegExp = 1u << 1;
inline constexpr uint32_t kFeatureMapSet = 1u << 2;       // Map, Set, WeakMap, WeakSet
inline constexpr uint32_t kFeatureTypedArrays = 1u << 3;  // ArrayBuffer & co.
inline constexpr uint32_t kFeatureBoard = 1u << 4;        // photon.pin, dht11
inline constexpr uint32_t kFeatureTls = 1u << 5;          // tls.connect (implies typed arrays)
inline constexpr uint32_t kFeatureFetch = 1u << 6;        // fetch (implies typed arrays)
inline constexpr uint32_t kFeatureAll = (1u << 7) - 1;

// Name of each feature bit, in bit order (CLI --features, error messages).
inline constexpr const char* kFeatureNames[] = {"date", "regexp", "mapset", "typedarrays", "board", "tls", "fetch"};

inline uint32_t get_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}
inline uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
inline void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}

}  // namespace mcujs::bundle
