# Board simulator tests (label board): the simulated clock's speed and
# determinism with an exact LED trace. The unit tests (tests/unit/board_*)
# and JavaScript tests (tests/js/board_*.test.js) are picked up by their globs.
foreach(what hour day)
  add_test(NAME board_determinism_${what}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/board/determinism.sh $<TARGET_FILE:mcujs> ${what})
  set_tests_properties(board_determinism_${what} PROPERTIES LABELS board TIMEOUT 300)
endforeach()

# One scenario, both ports (docs/board.md, "The firmware"): the Linux board
# simulator prints the lines the firmware test image prints under QEMU for
# tests/firmware/sim_scenario.json (tests/firmware/sim.expected);
# tools/scenario2c.py refuses what the loader refuses, with the same message;
# and its tables equal the loader's for the repository's scenarios.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME board_firmware_parity
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/board/firmware_parity.sh $<TARGET_FILE:mcujs>)
add_test(NAME board_scenario2c_messages
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/board/scenario2c_test.py $<TARGET_FILE:mcujs>)
set(board_sc2c_sources "")
foreach(pair sim=tests/firmware/sim_scenario.json hour=tests/board/hour.json day=tests/board/day.json
             demo=apps/sensor-hub/scenarios/demo.json e2e=apps/sensor-hub/scenarios/e2e.json
             dht=tests/js/fixtures/board/dht.json pins=tests/js/fixtures/board/pins.json)
  string(REGEX REPLACE "=.*" "" name "${pair}")
  string(REGEX REPLACE "^[^=]*=" "" file "${pair}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/board_scenario_${name}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/scenario2c.py ${CMAKE_SOURCE_DIR}/${file}
            -o ${out} --function scenario_${name}
    DEPENDS ${CMAKE_SOURCE_DIR}/tools/scenario2c.py ${CMAKE_SOURCE_DIR}/${file}
    VERBATIM)
  list(APPEND board_sc2c_sources ${out})
endforeach()
add_executable(board_scenario_tables ${CMAKE_CURRENT_SOURCE_DIR}/board/scenario_tables.cpp ${board_sc2c_sources})
target_link_libraries(board_scenario_tables PRIVATE mcujs::port)
add_test(NAME board_scenario_tables COMMAND board_scenario_tables ${CMAKE_SOURCE_DIR})
set_tests_properties(board_firmware_parity board_scenario2c_messages board_scenario_tables
  PROPERTIES LABELS board TIMEOUT 120)
