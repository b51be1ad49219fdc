# Sensor hub end-to-end tests (label hub): the app on the Linux port with
# the board simulator, delivering to the real receiver over TLS, with
# smtp-sink as the SMTP peer. Included from tests/CMakeLists.txt.
if(TARGET mcujs-receiver)
  foreach(t e2e outage restart)
    add_test(NAME hub_${t}
             COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/${t}.sh $<TARGET_FILE:mcujs> $<TARGET_FILE:mcujs-receiver>)
    set_tests_properties(hub_${t} PROPERTIES LABELS hub TIMEOUT 240)
  endforeach()
endif()
