// Stable codes of network failures: the enum the net layer sets and the one
// table of their JavaScript names (Error.code), as tls/errors.cpp is for
// TLS. types/mcujs.d.ts's NetErrorCode lists exactly these names
// (tests/unit/error_codes_test.cpp checks it, and TLSErrorCode against
// tls::code_name).
#pragma once

#include <cstdint>

namespace mcujs::net {

enum class Code : uint8_t {
  kNone = 0,
  // From the port's socket calls (the names port::error_name gives them).
  kClosed,              // CLOSED
  kConnectionReset,     // CONNECTION_RESET
  kConnectionRefused,   // CONNECTION_REFUSED
  kNetworkUnreachable,  // NETWORK_UNREACHABLE
  kHostNotFound,        // HOST_NOT_FOUND
  kTimeout,             // TIMEOUT (fetch: the whole request)
  kNoMemory,            // NO_MEMORY
  kInvalidArgument,     // INVALID_ARGUMENT
  kNotFound,            // NOT_FOUND
  kUnsupported,         // UNSUPPORTED (the port lacks it)
  kIoError,             // IO_ERROR
  kAddressInUse,        // ADDRESS_IN_USE
  // Connections.
  kConnectTimeout,      // CONNECT_TIMEOUT
  kConnectFailed,       // CONNECT_FAILED
  kNotConnected,        // NOT_CONNECTED
  kWriteTimeout,        // WRITE_TIMEOUT
  kInvalidState,        // INVALID_STATE
  kNotSupported,        // NOT_SUPPORTED (photon.dfu)
  // HTTP (fetch).
  kConnectionClosed,    // CONNECTION_CLOSED
  kBadResponse,         // BAD_RESPONSE
  kBodyTooLarge,        // BODY_TOO_LARGE
  kHeadersTooLarge,     // HEADERS_TOO_LARGE
  kUnknown,             // UNKNOWN
  kTls,                 // a TLS failure: Error::code is tls::code_name() of it
};
constexpr int kCodeCount = static_cast<int>(Code::kTls) + 1;

// "CONNECTION_REFUSED", ...; "NONE" for kNone, "TLS" for kTls.
const char* code_name(Code c);
// The code with that name, kUnknown if none (for call sites that still pass
// names: fetch's, until they move to the enum).
Code code_from_name(const char* name);
// The code of a port::PortError (kIoError for one it does not know).
Code code_from_port(int32_t port_error);

}  // namespace mcujs::net
