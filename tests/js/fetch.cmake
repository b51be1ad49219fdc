# fetch() end to end, included from tests/CMakeLists.txt: a canned HTTP/1.1
# test server and the driver that runs tests/js/fetch_*.js against it and
# against openssl s_server (HTTPS).
add_executable(mcujs_http_test_server ${CMAKE_CURRENT_LIST_DIR}/fetch_server.cpp)
target_compile_options(mcujs_http_test_server PRIVATE
  -Wall -Wextra -Werror -Wshadow -Wold-style-cast -fno-exceptions -fno-rtti)
add_test(NAME js_fetch
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/js/fetch_run.sh
                 $<TARGET_FILE:mcujs> $<TARGET_FILE:mcujs_http_test_server>)
set_tests_properties(js_fetch PROPERTIES LABELS js TIMEOUT 240)
