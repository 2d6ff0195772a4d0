# Warnings for our own targets (never for third-party objects).
function(ccoc_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wcast-align -Wunused
                         $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Woverloaded-virtual>)
  if(CCOC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
