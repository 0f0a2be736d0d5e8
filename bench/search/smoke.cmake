# bench_search_smoke: generator -> MARC file -> FTS5 load and a short run of the query mix.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${GEN} --records 1000 --out ${WORK}/cat.mrc --queries ${WORK}/queries.tsv
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generator failed: ${rc}")
endif()
execute_process(COMMAND ${FTS5} --marc ${WORK}/cat.mrc --queries ${WORK}/queries.tsv --db ${WORK}/fts5.db
                        --threads "1 2" --seconds 0.2 --warmup 0 --expect-records 1000
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bookstamp_fts5_search failed: ${rc}")
endif()
foreach(line "read\t1000\t0" "latency\tfts5\t1\t" "latency\tfts5\t2\t" "hits\tfts5-like\tcjk-2")
  string(FIND "${out}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "missing from the output: ${line}")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
