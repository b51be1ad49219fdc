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

const char* error_text(int32_t err) {
  switch (err) {
    case kOk: return "no error";
    case kWouldBlock: return "operation would block";
    case kClosed: return "connection closed";
    case kReset: return "connection reset by peer";
    case kRefused: return "connection refused";
    case kUnreachable: return "network unreachable";
    case kResolveFailed: return "host name not found";
    case kTimeout: return "timed out";
    case kNoMemory: return "out of memory";
    case kInvalid: return "invalid argument";
    case kNotFound: return "not found";
    case kUnsupported: return "not supported by this port";
    case kIo: return "I/O error";
    case kAddressInUse: return "address already in use";
    default: return "unknown error";
  }
}

}  // namespace mcujs::port
