# QuickJS 2025-04-26, from the pinned Debian source package (deps/deps.lock).
# Compiled as C by our CMake; quickjs-libc (the qjs shell's OS layer) is not
# used: the event loop, timers and module loader are ours (core/).
set(QJS_DIR "${MCUJS_THIRD_PARTY_DIR}/quickjs")
if(NOT EXISTS "${QJS_DIR}/quickjs.c")
  message(FATAL_ERROR "QuickJS sources missing in ${QJS_DIR}: run tools/fetch-deps.sh")
endif()
file(STRINGS "${QJS_DIR}/VERSION" QJS_VERSION)

add_library(quickjs STATIC
  ${QJS_DIR}/quickjs.c ${QJS_DIR}/libregexp.c ${QJS_DIR}/libunicode.c
  ${QJS_DIR}/cutils.c ${QJS_DIR}/dtoa.c)
target_compile_definitions(quickjs PRIVATE
  CONFIG_VERSION="${QJS_VERSION}" _GNU_SOURCE)
# -fno-strict-aliasing: QuickJS type-puns (js_string_iterator_next passes
# a uint32_t* as int*). With arm-none-eabi's uint32_t = unsigned long, GCC
# -O2 dropped the write through the int*, so a string iterator never moved
# on the device (`for (const c of 'ab')` looped on 'a' until out of memory).
target_compile_options(quickjs PRIVATE -w -funsigned-char -fwrapv -fno-strict-aliasing)
# SYSTEM: its header's C idioms must not trip our -Werror.
target_include_directories(quickjs SYSTEM PUBLIC ${QJS_DIR})
if(NOT CMAKE_CROSSCOMPILING)
  target_link_libraries(quickjs PUBLIC m)
else()
  # newlib (arm-none-eabi): declare the pthread API QuickJS always includes
  # (the firmware port supplies single-threaded stubs) and give struct tm the
  # tm_gmtoff field its Date code reads.
  target_compile_definitions(quickjs PRIVATE _POSIX_THREADS=1 __TM_GMTOFF=tm_gmtoff)
  # Every nested JS call is a JS_CallInternal frame on the board's small main
  # stack: 360 -> 320 bytes with -fconserve-stack (40 bytes less flash too);
  # the depth each board allows: docs/firmware.md, "Memory map".
  target_compile_options(quickjs PRIVATE -fconserve-stack)
endif()
# The QuickJS version and its bytecode version (BC_VERSION), which a bundle
# records and the runtime image checks (bundle/format.h): for every user.
file(STRINGS "${QJS_DIR}/quickjs.c" QJS_BC_LINE REGEX "^#define BC_VERSION [0-9]+")
string(REGEX REPLACE "^#define BC_VERSION ([0-9]+).*" "\\1" QJS_BC_VERSION "${QJS_BC_LINE}")
target_compile_definitions(quickjs INTERFACE
  MCUJS_QUICKJS_VERSION="${QJS_VERSION}" MCUJS_QUICKJS_BC_VERSION=${QJS_BC_VERSION})
