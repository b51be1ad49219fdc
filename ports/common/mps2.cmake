# The MPS2 family of the port facade (mps2-an385, mps2-an505; docs/porting.md):
# what every MPS2 backend needs (lwIP), the apps and tests it builds, and
# mcujs_mps2_port(), which each board's CMakeLists.txt calls to build its
# mcujs::port target.
include(${CMAKE_SOURCE_DIR}/cmake/lwip.cmake)  # the TCP/IP stack (ports/mps2-an385/net/net.cpp)
set(MCUJS_PORT_APPS apps/firmware)           # the runtime image
set(MCUJS_PORT_TESTS tests/firmware tests/port)  # the firmware tests and the port suite under QEMU
set(MCUJS_JS_TEXT OFF)  # bytecode only, no parser: the JavaScript-written Web globals come compiled in the bundle (modules/)

# mcujs_mps2_port(<board dir> <linker script>): the port target of one board.
# Its sources are the family's: the drivers in ports/common/ and the
# board-independent files of ports/mps2-an385/, by role: board/ (startup,
# board support, heap, newlib syscalls), net/ (the lwIP glue and its
# lwipopts.h), emulation/ (semihosting, what only QEMU has, the simulated
# board) and the Platform assembler with its flash store; they include
# <board.h> (angle brackets: never the file next to the includer) and so get the board's own header from <board dir>: where its
# UART and LAN9118 are, its clock, IRQ count, name and flash layout.
function(mcujs_mps2_port board_dir linker_script)
  set(fam ${CMAKE_SOURCE_DIR}/ports/mps2-an385)
  set(common ${CMAKE_SOURCE_DIR}/ports/common)
  # OBJECT: linked into the image whole (the vector table, and the libc/pthread
  # symbols QuickJS and newlib need, which archive order would otherwise miss);
  # --gc-sections still drops what nothing reaches.
  add_library(mcujs_port_mps2 OBJECT
    ${fam}/board/board.cpp ${fam}/board/startup.cpp ${fam}/board/syscalls.cpp ${fam}/board/allocator.cpp
    ${fam}/board/single_core.c
    ${fam}/emulation/semihosting.cpp ${fam}/emulation/emulation.cpp
    ${fam}/net/net.cpp ${fam}/platform.cpp
    ${common}/lan9118.cpp ${common}/cmsdk_uart.cpp)
  # The facade's name (docs/porting.md): apps and tests link mcujs::port.
  add_library(mcujs::port ALIAS mcujs_port_mps2)
  # <board.h>: the board's own header, first on the include path.
  target_include_directories(mcujs_port_mps2 BEFORE PUBLIC ${board_dir})
  # The storage partition of the flash and the key-value store on it (flash_storage.h).
  target_sources(mcujs_port_mps2 PRIVATE ${fam}/flash_storage.cpp)
  target_link_libraries(mcujs_port_mps2 PUBLIC mcujs_storage)
  # lwip: the TCP/IP stack behind LwipNet (net.cpp; cmake/lwip.cmake).
  target_link_libraries(mcujs_port_mps2 PUBLIC mcujs_strict lwip)
  # single_core.c implements newlib's pthread API for QuickJS.
  set_source_files_properties(${fam}/board/single_core.c PROPERTIES COMPILE_DEFINITIONS _POSIX_THREADS=1)
  set(MCUJS_PORT_LINKER_SCRIPT ${linker_script} CACHE INTERNAL "Linker script of the board's images")
  # The simulated board (sim_board.cpp): pins and DHT11 follow the scenario
  # compiled into the image (sim/, tools/scenario2c.py, docs/board.md).
  target_sources(mcujs_port_mps2 PRIVATE ${fam}/emulation/sim_board.cpp)
  target_link_libraries(mcujs_port_mps2 PUBLIC mcujs_sim)
  # The time floor (docs/time.md): the build's time, Unix seconds, taken at
  # configure time (string(TIMESTAMP) follows SOURCE_DATE_EPOCH if set). The
  # wall clock never accepts a time before it.
  string(TIMESTAMP MCUJS_TIME_FLOOR "%s" UTC)
  target_compile_definitions(mcujs_port_mps2 PUBLIC MCUJS_TIME_FLOOR=${MCUJS_TIME_FLOOR})
endfunction()
