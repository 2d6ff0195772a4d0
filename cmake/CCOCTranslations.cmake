# ccoc_add_translations(DOMAIN PO_DIR dir SOURCES src... [TARGET target])
#
# GNU gettext catalogues of one text domain: every PO_DIR/LANG.po is compiled by msgfmt, at build
# time, into ${CCOC_LOCALE_OUTPUT_DIR}/LANG/LC_MESSAGES/DOMAIN.mo (the build tree's share/locale,
# where the host looks beside its binary) and installed into PREFIX/share/locale. With TARGET, the
# target is compiled with CCOC_TEXT_DOMAIN="DOMAIN" (ccoc/i18n.hpp's tr() reads it) and depends on
# its catalogues. SOURCES are what xgettext reads: `${DOMAIN}_pot` writes DOMAIN.pot into the build
# tree (a template for translators; not kept in the sources), and the domain is listed in the
# global property CCOC_TEXT_DOMAINS for the catalogue tests (tests/i18n).
# Works in the CCOC tree and out of tree after find_package(CCOC); without gettext's tools it
# warns and builds without catalogues (the interface is then English).
find_program(CCOC_MSGFMT msgfmt)
find_program(CCOC_XGETTEXT xgettext)

# The keywords of ccoc/i18n.hpp, for xgettext.
set(CCOC_XGETTEXT_KEYWORDS --keyword=tr --keyword=trn:1,2 --keyword=trc:1c,2 --keyword=CCOC_PANEL:3)

function(ccoc_add_translations domain)
  cmake_parse_arguments(ARG "" "PO_DIR;TARGET" "SOURCES" ${ARGN})
  if(NOT ARG_PO_DIR)
    set(ARG_PO_DIR ${CMAKE_CURRENT_SOURCE_DIR}/po)
  endif()
  if(ARG_TARGET)
    target_compile_definitions(${ARG_TARGET} PRIVATE CCOC_TEXT_DOMAIN="${domain}")
  endif()
  if(NOT CCOC_MSGFMT)
    message(WARNING "ccoc_add_translations(${domain}): msgfmt not found (Debian package gettext); no catalogues")
    return()
  endif()
  if(NOT DEFINED CCOC_LOCALE_OUTPUT_DIR)
    set(CCOC_LOCALE_OUTPUT_DIR ${CMAKE_BINARY_DIR}/share/locale)
  endif()
  include(GNUInstallDirs)
  file(GLOB po_files CONFIGURE_DEPENDS ${ARG_PO_DIR}/*.po)
  set(mo_files "")
  foreach(po IN LISTS po_files)
    get_filename_component(lang ${po} NAME_WE)
    set(mo ${CCOC_LOCALE_OUTPUT_DIR}/${lang}/LC_MESSAGES/${domain}.mo)
    add_custom_command(OUTPUT ${mo}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CCOC_LOCALE_OUTPUT_DIR}/${lang}/LC_MESSAGES
      COMMAND ${CCOC_MSGFMT} --check -o ${mo} ${po}
      DEPENDS ${po}
      COMMENT "Compiling the ${lang} catalogue of ${domain}")
    list(APPEND mo_files ${mo})
    install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_DATADIR}/locale/${lang}/LC_MESSAGES)
  endforeach()
  add_custom_target(${domain}_mo ALL DEPENDS ${mo_files})
  if(ARG_TARGET)
    add_dependencies(${ARG_TARGET} ${domain}_mo)
  endif()
  if(CCOC_XGETTEXT)
    set(pot ${CMAKE_CURRENT_BINARY_DIR}/${domain}.pot)
    add_custom_target(${domain}_pot
      COMMAND ${CCOC_XGETTEXT} --from-code=UTF-8 --language=C++ ${CCOC_XGETTEXT_KEYWORDS} --add-comments=TRANSLATORS:
              --package-name=${domain} -o ${pot} ${ARG_SOURCES}
      WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
      COMMENT "Extracting the messages of ${domain} into ${pot}")
  endif()
  set_property(GLOBAL APPEND PROPERTY CCOC_TEXT_DOMAINS ${domain})
  set_property(GLOBAL PROPERTY CCOC_TEXT_DOMAIN_${domain}_PO_DIR ${ARG_PO_DIR})
  set_property(GLOBAL PROPERTY CCOC_TEXT_DOMAIN_${domain}_SOURCES ${ARG_SOURCES})
endfunction()

# The sources of a folder that xgettext reads: C and C++ files, without tests/ and po/.
function(ccoc_translatable_sources out dir)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS ${dir}/*.cpp ${dir}/*.hpp ${dir}/*.c ${dir}/*.h)
  list(FILTER files EXCLUDE REGEX "/(tests|po)/")
  list(SORT files)
  set(${out} ${files} PARENT_SCOPE)
endfunction()
