// `mcujs bundle --config FILE`: the "device" section of the app's
// configuration, e.g. {"device": {"ntp": "10.0.2.2:12300", "log": "trace"}},
// checked on the host and compiled into the bundle's boot.cfg
// (bundle/boot_settings.h), which the runtime image reads before DHCP and
// SNTP. The rest of the file is the app's (photon.config, the outbox).
#pragma once

#include <cstddef>

namespace mcujs::cli {

// json: the configuration's text (NUL-terminated, len bytes). On success
// *out_len is boot.cfg's length in out (0: the file has no device section,
// the bundle gets no boot.cfg). False with err naming the key ("device.ntp:
// ...") if the text is not JSON, the section is not an object, or a key is
// unknown or its value malformed (boot_settings.h says which are known).
bool compile_device_section(const char* json, size_t len, char* out, size_t cap, size_t* out_len, char* err,
                            size_t err_len);

}  // namespace mcujs::cli
