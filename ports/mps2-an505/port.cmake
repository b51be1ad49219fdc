# The mps2-an505 backend of the port facade (docs/porting.md): the MPS2
# family's needs and its apps and tests, as for mps2-an385.
include(${CMAKE_SOURCE_DIR}/ports/common/mps2.cmake)
# The runtime image holds the full JavaScript API in its JS heap
# (board.h, kJsHeapLimit): tests/firmware runs firmware.api here.
set(MCUJS_BOARD_FULL_API ON)
