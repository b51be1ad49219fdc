// The scenario compiled into a firmware image: defined by the C++ file that
// tools/scenario2c.py generates from a scenario JSON file (CMake:
// mcujs_firmware_scenario(<target> <file>), apps/firmware/CMakeLists.txt).
// An image without one gets the empty scenario (ports/mps2-an385/emulation/sim_board.cpp).
#pragma once

#include "sim/scenario.h"

const mcujs::sim::Scenario& mcujs_firmware_scenario();
