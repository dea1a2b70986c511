# toolchain.cmake - the target side of a retort build
#
# The generator (build/retort) always runs on the build machine; only the
# migrator is built for the target. For now this file only pins the C
# standard and static-friendly flags; the release work adds static linking
# and cross compilation (RETORT_TARGET=aarch64 and friends).
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)

if(DEFINED ENV{RETORT_TARGET} AND NOT "$ENV{RETORT_TARGET}" STREQUAL "")
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR $ENV{RETORT_TARGET})
  set(CMAKE_C_COMPILER $ENV{RETORT_TARGET}-linux-gnu-gcc)
endif()
