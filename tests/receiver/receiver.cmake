# mcujs-receiver's tests (tests/receiver/*.sh, label receiver), included from
# tests/CMakeLists.txt. Each makes its own PKI and database in a temporary
# directory and runs the receiver on a kernel-chosen port.
if(TARGET mcujs-receiver)
  foreach(t happy dedupe bad_input mail cli)
    add_test(NAME receiver_${t}
             COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/${t}.sh $<TARGET_FILE:mcujs-receiver>)
    set_tests_properties(receiver_${t} PROPERTIES LABELS receiver TIMEOUT 180)
  endforeach()
endif()
