# The firmware's TLS device profile tested on the host (label tls): Mbed TLS
# and tls/*.cpp compiled again with tls/config/mcujs_mbedtls_device.h applied
# after our configuration (as the mps2-an385 preset does), linked into their
# own test binary so that the two record-buffer sizes never meet in one
# program. tests/tls_device/record_limit_test.cpp runs them against
# openssl s_server.
set(MCUJS_DEVICE_TLS_CONFIG ${CMAKE_SOURCE_DIR}/tls/config/mcujs_mbedtls_device.h)
add_library(mbedtls_device STATIC EXCLUDE_FROM_ALL ${MBEDTLS_SOURCES})
target_compile_definitions(mbedtls_device PUBLIC
  MBEDTLS_CONFIG_FILE="mcujs_mbedtls_config.h"
  MBEDTLS_USER_CONFIG_FILE="${MCUJS_DEVICE_TLS_CONFIG}")
target_include_directories(mbedtls_device SYSTEM PUBLIC
  ${CMAKE_SOURCE_DIR}/tls/config ${MBEDTLS_DIR}/include)
target_include_directories(mbedtls_device PRIVATE ${MBEDTLS_DIR}/library)
target_compile_options(mbedtls_device PRIVATE -w)

file(GLOB MCUJS_TLS_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tls/*.cpp)
add_library(mcujs_tls_device STATIC EXCLUDE_FROM_ALL ${MCUJS_TLS_SOURCES})
target_link_libraries(mcujs_tls_device PUBLIC mbedtls_device mcujs_strict)

add_executable(mcujs_tls_device_tests ${CMAKE_CURRENT_LIST_DIR}/record_limit_test.cpp)
target_link_libraries(mcujs_tls_device_tests PRIVATE mcujs_tls_device mcujs::port GTest::gtest_main)
target_compile_options(mcujs_tls_device_tests PRIVATE -Wno-old-style-cast)
target_compile_definitions(mcujs_tls_device_tests PRIVATE MCUJS_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
gtest_discover_tests(mcujs_tls_device_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX device.
                     PROPERTIES LABELS tls TIMEOUT 120)
