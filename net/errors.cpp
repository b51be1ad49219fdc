#include "net/errors.h"

#include <cstring>

#include "port/port.h"

namespace mcujs::net {

namespace {

struct Name {
  Code code;
  const char* name;
};

// The one table of names (in enum order; code_name checks the index).
constexpr Name kNames[] = {
    {Code::kNone, "NONE"},
    {Code::kClosed, "CLOSED"},
    {Code::kConnectionReset, "CONNECTION_RESET"},
    {Code::kConnectionRefused, "CONNECTION_REFUSED"},
    {Code::kNetworkUnreachable, "NETWORK_UNREACHABLE"},
    {Code::kHostNotFound, "HOST_NOT_FOUND"},
    {Code::kTimeout, "TIMEOUT"},
    {Code::kNoMemory, "NO_MEMORY"},
    {Code::kInvalidArgument, "INVALID_ARGUMENT"},
    {Code::kNotFound, "NOT_FOUND"},
    {Code::kUnsupported, "UNSUPPORTED"},
    {Code::kIoError, "IO_ERROR"},
    {Code::kAddressInUse, "ADDRESS_IN_USE"},
    {Code::kConnectTimeout, "CONNECT_TIMEOUT"},
    {Code::kConnectFailed, "CONNECT_FAILED"},
    {Code::kNotConnected, "NOT_CONNECTED"},
    {Code::kWriteTimeout, "WRITE_TIMEOUT"},
    {Code::kInvalidState, "INVALID_STATE"},
    {Code::kNotSupported, "NOT_SUPPORTED"},
    {Code::kConnectionClosed, "CONNECTION_CLOSED"},
    {Code::kBadResponse, "BAD_RESPONSE"},
    {Code::kBodyTooLarge, "BODY_TOO_LARGE"},
    {Code::kHeadersTooLarge, "HEADERS_TOO_LARGE"},
    {Code::kUnknown, "UNKNOWN"},
    {Code::kTls, "TLS"},
};
static_assert(sizeof kNames / sizeof kNames[0] == kCodeCount, "one name per net::Code");

}  // namespace

const char* code_name(Code c) {
  auto i = static_cast<size_t>(c);
  return i < sizeof kNames / sizeof kNames[0] && kNames[i].code == c ? kNames[i].name : "UNKNOWN";
}

Code code_from_name(const char* name) {
  if (!name) return Code::kNone;
  for (const Name& n : kNames)
    if (strcmp(n.name, name) == 0) return n.code;
  return Code::kUnknown;
}

Code code_from_port(int32_t e) {
  switch (e) {
    case port::kOk: return Code::kNone;
    case port::kClosed: return Code::kClosed;
    case port::kReset: return Code::kConnectionReset;
    case port::kRefused: return Code::kConnectionRefused;
    case port::kUnreachable: return Code::kNetworkUnreachable;
    case port::kResolveFailed: return Code::kHostNotFound;
    case port::kTimeout: return Code::kTimeout;
    case port::kNoMemory: return Code::kNoMemory;
    case port::kInvalid: return Code::kInvalidArgument;
    case port::kNotFound: return Code::kNotFound;
    case port::kUnsupported: return Code::kUnsupported;
    case port::kAddressInUse: return Code::kAddressInUse;
    default: return Code::kIoError;
  }
}

}  // namespace mcujs::net
