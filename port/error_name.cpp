#include "port/port.h"

namespace mcujs::port {

const char* error_name(int32_t err) {
  switch (err) {
    case kOk: return "OK";
    case kWouldBlock: return "WOULD_BLOCK";
    case kClosed: return "CLOSED";
    case kReset: return "CONNECTION_RESET";
    case kRefused: return "CONNECTION_REFUSED";
    case kUnreachable: return "NETWORK_UNREACHABLE";
    case kResolveFailed: return "HOST_NOT_FOUND";
    case kTimeout: return "TIMEOUT";
    case kNoMemory: return "NO_MEMORY";
    case kInvalid: return "INVALID_ARGUMENT";
    case kNotFound: return "NOT_FOUND";
    case kUnsupported: return "UNSUPPORTED";
    case kIo: return "IO_ERROR";
    case kAddressInUse: return "ADDRESS_IN_USE";
    default: return "UNKNOWN";
  }
}

}  // namespace mcujs::port
