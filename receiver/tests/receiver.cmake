# mcujs-receiver's tests (receiver/tests/*.sh, label receiver), included from
# tests/CMakeLists.txt. Each makes its own PKI and database in a temporary
# directory and runs the receiver on a kernel-chosen port.
if(TARGET mcujs-receiver)
  foreach(t happy dedupe bad_input mail cli smuggling abuse postgres mtls wire)
    add_test(NAME receiver_${t}
             COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/${t}.sh $<TARGET_FILE:mcujs-receiver>)
    set_tests_properties(receiver_${t} PROPERTIES LABELS receiver TIMEOUT 180)
  endforeach()
endif()
# Record sizes the receiver sends (max_send_fragment): receiver/tests/record_size.sh.
if(TARGET mcujs-receiver)
  add_test(NAME receiver_record_size
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/record_size.sh $<TARGET_FILE:mcujs-receiver>)
  set_tests_properties(receiver_record_size PROPERTIES LABELS receiver TIMEOUT 180)
endif()
