# Board simulator tests (label board): the simulated clock's speed and
# determinism with an exact LED trace. The unit tests (tests/unit/board_*)
# and JavaScript tests (tests/js/board_*.test.js) are picked up by their globs.
foreach(what hour day)
  add_test(NAME board_determinism_${what}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/board/determinism.sh $<TARGET_FILE:mcujs> ${what})
  set_tests_properties(board_determinism_${what} PROPERTIES LABELS board TIMEOUT 300)
endforeach()
