# Warnings for our own targets (never for third-party objects).
function(ccoc_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference)
  if(CCOC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
