# TLS interop and refusal tests, included from tests/CMakeLists.txt: mcujs
# as a client against openssl s_server, gnutls-serv and a misbehaving
# listener (bad_peer.c) on loopback, with a test PKI made by
# tests/pki/make-pki.sh in each test's own temporary directory.
# One ctest test per case, labelled "tls":  ctest -L tls
# The case lists come from the drivers themselves (`interop.sh --list`).
set(MCUJS_TLS_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})

add_executable(mcujs_tls_bad_peer ${MCUJS_TLS_TEST_DIR}/bad_peer.c)
target_link_libraries(mcujs_tls_bad_peer PRIVATE mcujs_strict)

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${MCUJS_TLS_TEST_DIR}/interop.sh ${MCUJS_TLS_TEST_DIR}/refusal.sh
  ${MCUJS_TLS_TEST_DIR}/resume.sh)

function(mcujs_tls_cases script out)
  execute_process(COMMAND bash ${MCUJS_TLS_TEST_DIR}/${script} --list
                  OUTPUT_VARIABLE cases RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR cases STREQUAL "")
    message(FATAL_ERROR "tests/tls/${script} did not list its cases")
  endif()
  string(REGEX REPLACE "[ \t\r\n]+" ";" cases "${cases}")
  set(${out} ${cases} PARENT_SCOPE)
endfunction()

# The PKI generator alone (its own checks with openssl verify).
add_test(NAME tls_pki
         COMMAND bash -c "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && bash \"$0\" \"$d/pki\""
                 ${CMAKE_SOURCE_DIR}/tests/pki/make-pki.sh)
set_tests_properties(tls_pki PROPERTIES LABELS tls TIMEOUT 30)

mcujs_tls_cases(interop.sh MCUJS_TLS_INTEROP_CASES)
foreach(c ${MCUJS_TLS_INTEROP_CASES})
  add_test(NAME tls_interop_${c}
           COMMAND bash ${MCUJS_TLS_TEST_DIR}/interop.sh $<TARGET_FILE:mcujs> ${c})
  set_tests_properties(tls_interop_${c} PROPERTIES LABELS tls TIMEOUT 60)
endforeach()

mcujs_tls_cases(refusal.sh MCUJS_TLS_REFUSAL_CASES)
foreach(c ${MCUJS_TLS_REFUSAL_CASES})
  add_test(NAME tls_refusal_${c}
           COMMAND bash ${MCUJS_TLS_TEST_DIR}/refusal.sh $<TARGET_FILE:mcujs>
                   $<TARGET_FILE:mcujs_tls_bad_peer> ${c})
  set_tests_properties(tls_refusal_${c} PROPERTIES LABELS tls TIMEOUT 60)
endforeach()

mcujs_tls_cases(resume.sh MCUJS_TLS_RESUME_CASES)   # session resumption (socket.resumed, _resumed)
foreach(c ${MCUJS_TLS_RESUME_CASES})
  add_test(NAME tls_resume_${c} COMMAND bash ${MCUJS_TLS_TEST_DIR}/resume.sh $<TARGET_FILE:mcujs> ${c})
  set_tests_properties(tls_resume_${c} PROPERTIES LABELS tls TIMEOUT 90)
endforeach()

# Per-connection TLS options: scoped ca, total timeout, client certificates,
# ALPN, host name checks (tests/tls/options.sh).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${MCUJS_TLS_TEST_DIR}/options.sh)
mcujs_tls_cases(options.sh MCUJS_TLS_OPTIONS_CASES)
foreach(c ${MCUJS_TLS_OPTIONS_CASES})
  add_test(NAME tls_options_${c}
           COMMAND bash ${MCUJS_TLS_TEST_DIR}/options.sh $<TARGET_FILE:mcujs> $<TARGET_FILE:mcujs_tls_bad_peer> ${c})
  set_tests_properties(tls_options_${c} PROPERTIES LABELS tls TIMEOUT 60)
endforeach()
