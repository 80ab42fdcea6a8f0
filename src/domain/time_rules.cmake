# Time rules of the domain: zoned time, cron, RFC 5545 RRULE (libical),
# recurrence and reminders. Included from src/domain/CMakeLists.txt.
pkg_check_modules(ICAL REQUIRED IMPORTED_TARGET libical)

target_sources(taskflow_domain PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/zoned_time.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cron.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rrule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recurrence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recurrence_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reminder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/task_schedule.cpp
)
target_link_libraries(taskflow_domain PRIVATE PkgConfig::ICAL)

taskflow_test(taskflow_time_rules_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/zoned_time_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/cron_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/rrule_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/recurrence_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/recurrence_text_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/reminder_test.cpp
  # libical directly too: a test compares our bounded search with its plain iteration.
  LIBS taskflow_domain PkgConfig::ICAL
  LABELS unit)

# The time side of a task: all-day dates, reminder planning, next occurrence.
taskflow_test(taskflow_task_schedule_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/task_schedule_test.cpp
  LIBS taskflow_domain
  LABELS unit)
