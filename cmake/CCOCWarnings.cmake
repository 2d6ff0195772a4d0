# Warnings for our own targets (never for third-party objects).
function(ccoc_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wcast-align -Wunused
                         $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Woverloaded-virtual>)
  if(CCOC_SANITIZE)
    # GCC 12's -Wmaybe-uninitialized misfires inside libstdc++ (std::regex, std::function) once
    # sanitizer instrumentation changes inlining; the normal build keeps the warning.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(CCOC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
