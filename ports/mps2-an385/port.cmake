# The mps2-an385 backend of the port facade (docs/porting.md): the MPS2
# family's needs (lwIP) and its apps and tests (the runtime image, the
# firmware tests under QEMU).
include(${CMAKE_SOURCE_DIR}/ports/common/mps2.cmake)
