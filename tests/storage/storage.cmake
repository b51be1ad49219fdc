# The flash store (storage/, docs/storage.md): unit tests and the power-cut
# tests on the simulated NOR flash (GoogleTest, one binary).
add_executable(mcujs_storage_tests
  ${CMAKE_CURRENT_LIST_DIR}/flash_kv_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/power_cut_test.cpp)
target_link_libraries(mcujs_storage_tests PRIVATE mcujs_storage_sim mcujs_outbox GTest::gtest_main)
target_compile_options(mcujs_storage_tests PRIVATE -Wno-old-style-cast)
gtest_discover_tests(mcujs_storage_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit TIMEOUT 240)
# localStorage on the Linux port (the state directory): API, reboots, damage.
add_test(NAME storage.local_storage
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/local_storage.sh $<TARGET_FILE:mcujs>)
set_tests_properties(storage.local_storage PROPERTIES LABELS "js;storage" TIMEOUT 120)
