# Our code: strict warnings, warnings are errors; the core builds without
# exceptions and RTTI because the firmware does. Third-party targets do not use
# this (they are compiled with their own, quieter flags).
add_library(mcujs_strict INTERFACE)
target_compile_options(mcujs_strict INTERFACE
  -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wundef
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -Wnon-virtual-dtor -Wold-style-cast>)
target_include_directories(mcujs_strict INTERFACE ${CMAKE_SOURCE_DIR})
