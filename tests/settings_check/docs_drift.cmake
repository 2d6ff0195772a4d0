# Fails when DOC differs from what TOOL prints for PLUGIN (run by CTest: cmake -P docs_drift.cmake).
execute_process(COMMAND ${TOOL} ${PLUGIN} OUTPUT_VARIABLE printed RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TOOL} ${PLUGIN} failed (${status})")
endif()
if(NOT EXISTS ${DOC})
  message(FATAL_ERROR "${DOC} is missing; write it with: ccoc-settings-doc ${PLUGIN} > ${DOC}")
endif()
file(READ ${DOC} committed)
if(NOT committed STREQUAL printed)
  file(WRITE ${PRINTED} "${printed}")
  message(FATAL_ERROR "${DOC} differs from the declarations of ${PLUGIN} (printed: ${PRINTED}); "
                      "regenerate it with: ccoc-settings-doc ${PLUGIN} > ${DOC}")
endif()
