# ccoc_add_plugin(NAME SOURCES src... [LIBRARIES lib...] [NO_IMGUI] [NO_INSTALL] [VERSION x.y.z]
#                 [TEXT_DOMAIN domain])
#
# Builds a CCOC plugin: a MODULE library without the "lib" prefix, hidden visibility, a version
# define, the project's warnings, linked against CCOC::sdk (and CCOC::imgui unless NO_IMGUI).
# A tests/ folder beside the plugin's CMakeLists.txt is added by itself when tests are built.
# A po/ folder beside it makes the plugin translated (ccoc_add_translations): its text domain is
# TEXT_DOMAIN, by default "ccoc-" and the output name with '_' as '-' ("ccoc-camera-wall"), and
# xgettext reads every C/C++ file of the folder but tests/.
# Works in the CCOC tree and out of tree after find_package(CCOC).
include(${CMAKE_CURRENT_LIST_DIR}/CCOCTranslations.cmake)

function(ccoc_add_plugin name)
  cmake_parse_arguments(ARG "NO_IMGUI;NO_INSTALL" "VERSION;OUTPUT_NAME;TEXT_DOMAIN" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "ccoc_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT ARG_VERSION)
    set(ARG_VERSION "${PROJECT_VERSION}")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_NAME)
    set_target_properties(${name} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
  if(DEFINED CCOC_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CCOC_PLUGIN_OUTPUT_DIR})
  endif()
  target_compile_definitions(${name} PRIVATE CCOC_PLUGIN_VERSION="${ARG_VERSION}")
  target_link_libraries(${name} PRIVATE CCOC::sdk ${ARG_LIBRARIES})
  if(NOT ARG_NO_IMGUI)
    target_link_libraries(${name} PRIVATE CCOC::imgui)
  else()
    target_compile_definitions(${name} PRIVATE CCOC_NO_IMGUI=1)
  endif()
  if(COMMAND ccoc_target_warnings)
    ccoc_target_warnings(${name})
  else()
    target_compile_options(${name} PRIVATE -Wall -Wextra -Wpedantic)
  endif()
  if(NOT ARG_NO_INSTALL)
    # Installed plugins live in PREFIX/lib/ccoc/plugins, where the host looks beside its binary.
    include(GNUInstallDirs)
    install(TARGETS ${name} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/ccoc/plugins)
  endif()
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/po)
    if(NOT ARG_TEXT_DOMAIN)
      if(ARG_OUTPUT_NAME)
        string(REPLACE "_" "-" ARG_TEXT_DOMAIN "ccoc-${ARG_OUTPUT_NAME}")
      else()
        string(REPLACE "_" "-" ARG_TEXT_DOMAIN "ccoc-${name}")
      endif()
    endif()
    ccoc_translatable_sources(translatable ${CMAKE_CURRENT_SOURCE_DIR})
    ccoc_add_translations(${ARG_TEXT_DOMAIN} TARGET ${name} PO_DIR ${CMAKE_CURRENT_SOURCE_DIR}/po
      SOURCES ${translatable})
  endif()
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/tests/CMakeLists.txt AND CCOC_BUILD_TESTS)
    add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/tests ${CMAKE_CURRENT_BINARY_DIR}/tests)
  endif()
endfunction()
