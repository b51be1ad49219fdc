# Cross toolchain for the Cortex-M3 firmware (ports/mps2-an385): Debian's
# gcc-arm-none-eabi with newlib-nano. -Os and per-function sections so that
# --gc-sections drops what the image does not reach (the JS parser included,
# see docs/firmware.md).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")

# try_compile cannot link without a linker script and startup code.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# The core: cortex-m3 (mps2-an385) unless the preset says otherwise
# (MCUJS_CPU=cortex-m33 for mps2-an505; soft float on both, newlib-nano's
# thumb/v7-m/nofp and thumb/v8-m.main/nofp).
if(NOT MCUJS_CPU)
  set(MCUJS_CPU cortex-m3)
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MCUJS_CPU)
set(MCUJS_CPU_FLAGS "-mcpu=${MCUJS_CPU} -mthumb -mfloat-abi=soft")
set(CMAKE_C_FLAGS_INIT "${MCUJS_CPU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
    "${MCUJS_CPU_FLAGS} -ffunction-sections -fdata-sections -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_ASM_FLAGS_INIT "${MCUJS_CPU_FLAGS}")
# newlib-nano's printf has no %zu, %lld or %llu (they print as text): code
# shared with the firmware formats with %lu/%ld and casts. -u _printf_float
# keeps %f (error messages print JS numbers as %.0f); about 4 KB of flash.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "${MCUJS_CPU_FLAGS} --specs=nano.specs -u _printf_float -Wl,--gc-sections -Wl,--print-memory-usage")
# Size matters more than speed on a 1 MB / 128 KB part, for every build type
# (cache entries: CMake's own per-config defaults, -O2/-O3, would follow an
# _INIT value and win).
foreach(lang C CXX)
  set(CMAKE_${lang}_FLAGS_RELWITHDEBINFO "-Os -g -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_DEBUG "-Og -g" CACHE STRING "")
endforeach()

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
