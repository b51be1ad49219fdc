# Mbed TLS 3.6 (LTS), from the pinned Debian source package (deps/deps.lock),
# compiled by our CMake with our own configuration header
# tls/config/mcujs_mbedtls_config.h (every option documented there).
set(MBEDTLS_DIR "${MCUJS_THIRD_PARTY_DIR}/mbedtls")
if(NOT EXISTS "${MBEDTLS_DIR}/library/ssl_tls.c")
  message(FATAL_ERROR "Mbed TLS sources missing in ${MBEDTLS_DIR}: run tools/fetch-deps.sh")
endif()
file(GLOB MBEDTLS_SOURCES "${MBEDTLS_DIR}/library/*.c")
add_library(mbedtls_all STATIC ${MBEDTLS_SOURCES})
target_compile_definitions(mbedtls_all PUBLIC
  MBEDTLS_CONFIG_FILE="mcujs_mbedtls_config.h")
target_include_directories(mbedtls_all SYSTEM PUBLIC
  ${CMAKE_CURRENT_LIST_DIR}/../tls/config ${MBEDTLS_DIR}/include)
target_include_directories(mbedtls_all PRIVATE ${MBEDTLS_DIR}/library)
target_compile_options(mbedtls_all PRIVATE -w)
# Optional header included after ours (MBEDTLS_USER_CONFIG_FILE), holding a
# few #undef/#define lines: how the option variants in docs/tls.md were
# measured, without editing the configuration.
set(MCUJS_MBEDTLS_USER_CONFIG "" CACHE FILEPATH
    "Extra Mbed TLS config header applied after tls/config/mcujs_mbedtls_config.h")
if(MCUJS_MBEDTLS_USER_CONFIG)
  target_compile_definitions(mbedtls_all PUBLIC
    MBEDTLS_USER_CONFIG_FILE="${MCUJS_MBEDTLS_USER_CONFIG}")
endif()
# The firmware is built with -Os; its handshakes spend most of their
# instructions in the bignum and ECC arithmetic, which -O2 speeds up by 18 %
# for 5.4 KB of flash (mps2-an385, docs/firmware.md "Levers": full TLS 1.3
# handshake 67.7 -> 55.8 M instructions). Empty: the build type's flags.
if(CMAKE_CROSSCOMPILING)
  set(_mcujs_ecc_opt -O2)
else()
  set(_mcujs_ecc_opt "")
endif()
set(MCUJS_MBEDTLS_ECC_OPT "${_mcujs_ecc_opt}" CACHE STRING
    "Optimisation flag for Mbed TLS's bignum and ECC sources (the firmware: -O2)")
if(MCUJS_MBEDTLS_ECC_OPT)
  set_source_files_properties(
    ${MBEDTLS_DIR}/library/bignum.c ${MBEDTLS_DIR}/library/bignum_core.c
    ${MBEDTLS_DIR}/library/ecp.c ${MBEDTLS_DIR}/library/ecp_curves.c
    PROPERTIES COMPILE_OPTIONS ${MCUJS_MBEDTLS_ECC_OPT})
endif()
