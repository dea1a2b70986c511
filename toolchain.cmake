# toolchain.cmake - the target side of a retort build: static, stripped,
# reproducible migrators, optionally for another architecture
#
#   cmake -S . -B build/cmake -DCMAKE_TOOLCHAIN_FILE=toolchain.cmake
#   RETORT_TARGET=aarch64 RETORT_SYSROOT=/srv/arm64-root cmake ... (cross)
#
# The generator (retort) always runs on the build machine; CMakeLists.txt
# builds it with the host compiler when this file names another target. The
# flags are the Makefile's release flags (REL_* in the Makefile); keep the
# two in step. Debian ships no static Kerberos or usable static LDAP, so a
# static migrator links release/nogss.c instead (README "Shipping it").

# Read by CMakeLists.txt: link libpq and OpenSSL statically, add the stubs.
set(RETORT_STATIC ON CACHE BOOL "link the migrator statically (set by toolchain.cmake)")

if(NOT DEFINED RETORT_TARGET)
  set(RETORT_TARGET "$ENV{RETORT_TARGET}")
endif()
if(RETORT_TARGET AND NOT RETORT_TARGET STREQUAL CMAKE_HOST_SYSTEM_PROCESSOR)
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR ${RETORT_TARGET})
  set(CMAKE_C_COMPILER ${RETORT_TARGET}-linux-gnu-gcc)
  # Debian's multiarch layout (/usr/lib/aarch64-linux-gnu) inside the sysroot.
  set(CMAKE_LIBRARY_ARCHITECTURE ${RETORT_TARGET}-linux-gnu)
  if(NOT DEFINED RETORT_SYSROOT)
    set(RETORT_SYSROOT "$ENV{RETORT_SYSROOT}")
  endif()
  if(RETORT_SYSROOT)
    set(CMAKE_SYSROOT ${RETORT_SYSROOT})
  endif()
  # Programs (re2c, git) come from the build machine; libraries and headers
  # only from the target's root.
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
endif()

# Static archives only, written without times, owners or modes (D).
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(CMAKE_C_ARCHIVE_CREATE "<CMAKE_AR> qcD <TARGET> <LINK_FLAGS> <OBJECTS>")
set(CMAKE_C_ARCHIVE_APPEND "<CMAKE_AR> qD <TARGET> <LINK_FLAGS> <OBJECTS>")
set(CMAKE_C_ARCHIVE_FINISH "<CMAKE_RANLIB> -D <TARGET>")

# No directory names in the objects, no build id, no symbols.
set(CMAKE_C_FLAGS_INIT "-ffile-prefix-map=${CMAKE_SOURCE_DIR}/= -ffile-prefix-map=${CMAKE_BINARY_DIR}/=")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -s -Wl,--build-id=none")
