# The offline chat agent's language understanding (issue 6, item 7). Included
# at the end of src/domain/CMakeLists.txt with `include(chat.cmake)`.
target_sources(taskflow_domain PRIVATE ${CMAKE_CURRENT_LIST_DIR}/chat_intent.cpp)

taskflow_test(taskflow_chat_intent_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/chat_intent_test.cpp
  LIBS taskflow_domain
  LABELS unit)
