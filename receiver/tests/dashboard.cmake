# The receiver's dashboard in headless Chromium (receiver/tests/
# dashboard_test.sh), included from tests/CMakeLists.txt. Its screenshot and
# DOM dump are kept in <build>/tests/receiver/ as receiver_dashboard.{png,html}.
if(TARGET mcujs-receiver)
  set(MCUJS_DASHBOARD_ARTIFACTS ${CMAKE_CURRENT_BINARY_DIR}/receiver)
  file(MAKE_DIRECTORY ${MCUJS_DASHBOARD_ARTIFACTS})
  add_test(NAME receiver_dashboard
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/dashboard_test.sh
                   $<TARGET_FILE:mcujs-receiver> ${MCUJS_DASHBOARD_ARTIFACTS})
  set_tests_properties(receiver_dashboard PROPERTIES LABELS receiver TIMEOUT 180)
endif()
