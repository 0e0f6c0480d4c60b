# Compiler settings shared by every PoisonLab target.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
# -O2 rather than CMake's -O3: the hot loops are inside LibTorch, and -O3 compiles slower.
# The sanitizer build uses -O1 (what ASan's documentation recommends) and line tables only: at -O2
# an instrumented torch file took 106 s to compile here, at -O1 63 s (both without the
# precompiled header, measured on Evaluator.cpp), and full debug info would add ~40% again.
# The ThreadSanitizer build (POISONLAB_TSAN) uses the same flags: its reports need line numbers.
if(POISONLAB_SANITIZE AND POISONLAB_TSAN)
  message(FATAL_ERROR "POISONLAB_SANITIZE (ASan) and POISONLAB_TSAN cannot be combined: use two build folders")
endif()
if(POISONLAB_SANITIZE OR POISONLAB_TSAN)
  set(CMAKE_CXX_FLAGS_RELEASE "-O1 -g1 -DNDEBUG" CACHE STRING "" FORCE)
else()
  set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "" FORCE)
endif()
# Shared libraries and executables use the same code model, so one precompiled torch header
# (built for core) is valid for the tests and tools too.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  # Release, not RelWithDebInfo: debug info for the torch headers makes every compile ~40% slower
  # and the precompiled header 800 MB.
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # ccache only caches files built with a precompiled header when told these are safe.
  # CCACHE_BASEDIR lets builds in different folders (build/, build-asan/, a CI clone) share hits.
  set(_sloppy "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
              "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}")
  set(CMAKE_CXX_COMPILER_LAUNCHER env ${_sloppy} "${CCACHE_PROGRAM}")
  set(CMAKE_C_COMPILER_LAUNCHER env ${_sloppy} "${CCACHE_PROGRAM}")
endif()

add_library(poisonlab_warnings INTERFACE)
target_compile_options(poisonlab_warnings INTERFACE -Wall -Wextra)

if(POISONLAB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(POISONLAB_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# Qt's `slots`/`signals`/`emit` macros break torch headers; every Qt target uses Q_SLOTS etc.
function(poisonlab_qt_target target)
  target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
endfunction()

# Loading the 600 MB torch precompiled header costs ~7 s per file on two cores, so files that
# never mention torch are compiled without it (they only include plain C++ and json headers).
function(poisonlab_skip_pch_for_non_torch_sources)
  foreach(src IN LISTS ARGN)
    if(src MATCHES "\\.cpp$" AND EXISTS "${src}")
      file(READ "${src}" _text)
      if(NOT _text MATCHES "torch|Tensor|ATen|c10::")
        set_source_files_properties("${src}" PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      endif()
    endif()
  endforeach()
endfunction()
