# Fails when th.po of DOMAIN misses a msgid of its sources (extracted now by xgettext), or has an
# untranslated or fuzzy entry. Run by CTest: cmake -DDOMAIN=... -DPO=... -DSOURCES=a|b|c ... -P this.
string(REPLACE "|" ";" sources "${SOURCES}")
separate_arguments(keywords UNIX_COMMAND "${KEYWORDS}")
set(pot ${OUT_DIR}/${DOMAIN}-check.pot)
execute_process(COMMAND ${XGETTEXT} --from-code=UTF-8 --language=C++ ${keywords} -o ${pot} ${sources}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${DOMAIN}: xgettext failed: ${err}")
endif()
if(NOT EXISTS ${PO})
  message(FATAL_ERROR "${DOMAIN}: ${PO} is missing; start it from ${pot} (msginit -l th -i ${pot} -o ${PO})")
endif()
# msgfmt prints "N translated messages, M fuzzy translations, K untranslated messages." on stderr.
execute_process(COMMAND ${MSGFMT} --check --statistics -o /dev/null ${PO}
  RESULT_VARIABLE rc ERROR_VARIABLE stats)
string(STRIP "${stats}" stats)
message(STATUS "${DOMAIN}: ${stats}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${DOMAIN}: msgfmt --check refuses ${PO}: ${stats}")
endif()
if(stats MATCHES "fuzzy" OR stats MATCHES "untranslated")
  message(FATAL_ERROR "${DOMAIN}: ${PO} is not complete (${stats}); translate every entry and clear the fuzzy marks")
endif()
# msgcmp: every msgid of the sources must be in th.po (untranslated or fuzzy ones count as missing).
execute_process(COMMAND ${MSGCMP} ${PO} ${pot} RESULT_VARIABLE rc ERROR_VARIABLE missing)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${DOMAIN}: ${PO} lacks messages of the sources (update it with msgmerge -U ${PO} ${pot}):\n${missing}")
endif()
