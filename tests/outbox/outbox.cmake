# Outbox integration tests (label outbox): mcujs with a --config 'cloud'
# section against an in-process HTTPS peer on loopback (outbox_test.py).
# The unit tests are tests/unit/outbox_*_test.cpp (label unit).
find_program(MCUJS_PYTHON3 python3)
if(MCUJS_PYTHON3)
  foreach(c wire outage dead restart overflow args)
    add_test(NAME outbox_${c}
             COMMAND ${MCUJS_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/outbox_test.py $<TARGET_FILE:mcujs> ${c})
    set_tests_properties(outbox_${c} PROPERTIES LABELS outbox TIMEOUT 180)
  endforeach()
endif()
