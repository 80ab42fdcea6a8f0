# Natural-language quick add (issue 3, section 4). Included at the end of
# src/domain/CMakeLists.txt with `include(quick_add.cmake)`.
target_sources(taskflow_domain PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/quick_add.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quick_add_lexer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quick_add_dates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quick_add_recurrence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quick_add_draft.cpp
)

taskflow_test(taskflow_quick_add_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/quick_add_test.cpp
  LIBS taskflow_domain
  LABELS unit)
