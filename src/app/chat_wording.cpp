#include "app/chat_wording.hpp"

#include <array>
#include <chrono>
#include <cstdio>

#include "domain/zoned_time.hpp"

namespace taskflow::chat {
namespace {

using std::chrono::days;
using std::chrono::floor;

std::string DayName(std::chrono::local_days day, std::chrono::local_days today) {
  const auto distance = (day - today).count();
  if (distance == 0) return "today";
  if (distance == 1) return "tomorrow";
  if (distance == -1) return "yesterday";
  static constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::year_month_day date{day};
  const std::chrono::year_month_day now_date{today};
  const std::chrono::weekday weekday{day};
  std::string text = std::string(kWeekdays[weekday.c_encoding()]) + " " +
                     std::to_string(static_cast<unsigned>(date.day())) + " " +
                     kMonths[static_cast<unsigned>(date.month()) - 1];
  if (date.year() != now_date.year()) text += " " + std::to_string(static_cast<int>(date.year()));
  return text;
}

}  // namespace

std::string Quoted(std::string_view title) {
  if (title.empty()) return "that task";
  return "\xE2\x80\x9C" + std::string(title) + "\xE2\x80\x9D";
}

std::string DescribeDue(const TaskSummary& task, Instant now) {
  if (!task.due_at) return {};
  const std::optional<Instant> due = ParseRfc3339(*task.due_at);
  if (!due) return {};
  std::optional<LocalTime> local = ToLocal(*due, task.timezone);
  std::optional<LocalTime> local_now = ToLocal(now, task.timezone);
  if (!local || !local_now) return *task.due_at;
  const auto day = floor<days>(*local);
  std::string text = DayName(day, floor<days>(*local_now));
  if (!task.all_day) {
    const std::chrono::hh_mm_ss time{floor<std::chrono::minutes>(*local - day)};
    char clock[8];
    std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()));
    text += " at ";
    text += clock;
  }
  return text;
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string text;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) text += i + 1 == tags.size() ? " and " : ", ";
    text += "#" + tags[i];
  }
  return text;
}

std::string DescribeTask(const TaskSummary& task, Instant now) {
  std::vector<std::string> details;
  if (std::string due = DescribeDue(task, now); !due.empty()) details.push_back("due " + due);
  if (!task.priority.empty()) details.push_back(task.priority);
  for (const std::string& tag : task.tags) details.push_back("#" + tag);
  if (task.status == "completed") details.push_back("done");
  std::string text = task.title;
  if (details.empty()) return text;
  text += " (";
  for (std::size_t i = 0; i < details.size(); ++i) text += (i > 0 ? ", " : "") + details[i];
  return text + ")";
}

std::string NumberedTasks(const std::vector<TaskSummary>& tasks, Instant now) {
  std::string text;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (i > 0) text += "\n";
    text += std::to_string(i + 1) + ". " + DescribeTask(tasks[i], now);
  }
  return text;
}

}  // namespace taskflow::chat
