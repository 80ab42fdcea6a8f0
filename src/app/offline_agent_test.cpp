// The offline agent's behaviour as a table: an utterance, with the messages
// before it in the same conversation, and the exact tool calls it must make
// and words its reply must hold. The tools are the in-memory double
// (in_memory_chat_tools.hpp) over a fixed set of tasks; the same agent over
// the real MCP tools and store is tested in server/mcp/chat_tools_adapter_test.
#include "app/offline_agent.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/in_memory_chat_tools.hpp"

namespace taskflow {
namespace {

using testing::FakeTask;
using testing::InMemoryChatTools;

// Wednesday 18 November 2026, 10:00 UTC; the user's zone is UTC.
QuickAddContext Now() {
  return QuickAddContext{.now = *ParseRfc3339("2026-11-18T10:00:00Z"), .timezone = "UTC"};
}

// Listed by due date (undated last): t5, t1, t6, t2, t3, t4, t7.
std::vector<FakeTask> SeedTasks() {
  return {
      {.id = "t1",
       .title = "Call mom",
       .priority = "P1",
       .due_at = "2026-11-18T18:00:00Z",
       .tags = {"family"}},
      {.id = "t2",
       .title = "Dentist appointment",
       .due_at = "2026-11-20T00:00:00Z",
       .all_day = true,
       .tags = {"health"}},
      {.id = "t3",
       .title = "Pay rent",
       .priority = "P2",
       .due_at = "2026-12-01T09:00:00Z",
       .tags = {"home"}},
      {.id = "t4", .title = "Buy milk", .tags = {"home"}},
      {.id = "t5",
       .title = "Call the bank",
       .priority = "P2",
       .due_at = "2026-11-17T09:00:00Z",
       .tags = {"work"}},
      {.id = "t6",
       .title = "Write report",
       .priority = "P3",
       .due_at = "2026-11-19T17:00:00Z",
       .tags = {"work"}},
      {.id = "t7", .title = "Dentist bill", .priority = "P4", .tags = {"home"}},
      {.id = "t8", .title = "Renew passport", .status = "completed"},
  };
}

// ---- the calls, as the double records them ----

const std::string kSort = R"("sort_by":"due_at","sort_order":"asc",)";

// list_tasks of a list answer; `fields` come before the sort ("status" first).
std::string List(const std::string& fields) {
  return "list_tasks {" + fields + kSort + R"("limit":20})";
}
std::string Pending(const std::string& more = "") { return List(R"("status":"pending",)" + more); }
// list_tasks of a title search (`status` empty: any).
std::string Search(const std::string& words, const std::string& status = "pending") {
  std::string fields = R"("q":")" + words + R"(",)";
  if (!status.empty()) fields += R"("status":")" + status + R"(",)";
  return "list_tasks {" + fields + kSort + R"("limit":10})";
}
std::string Id(const std::string& tool, const std::string& id) {
  return tool + R"( {"id":")" + id + R"("})";
}
std::string Update(const std::string& id, const std::string& fields) {
  return R"(update_task {"id":")" + id + R"(",)" + fields + "}";
}

const std::string kToday =
    R"("due_after":"2026-11-18T00:00:00Z","due_before":"2026-11-18T23:59:59.999Z",)";
const std::string kTomorrow =
    R"("due_after":"2026-11-19T00:00:00Z","due_before":"2026-11-19T23:59:59.999Z",)";
const std::string kThisWeek =
    R"("due_after":"2026-11-18T00:00:00Z","due_before":"2026-11-22T23:59:59.999Z",)";
const std::string kNextWeek =
    R"("due_after":"2026-11-23T00:00:00Z","due_before":"2026-11-29T23:59:59.999Z",)";
const std::string kUpcoming =
    R"("due_after":"2026-11-18T10:00:00Z","due_before":"2026-11-25T23:59:59.999Z",)";
// The tool applies the overdue rule (IsOverdue), all-day tasks included.
const std::string kOverdue = R"("overdue":true,)";

struct Case {
  std::vector<std::string> before;  // earlier messages of the conversation
  std::string utterance;
  std::vector<std::string> calls;  // exactly, in order
  std::string reply_has;           // words the reply must hold
};

void PrintTo(const Case& c, std::ostream* out) { *out << '"' << c.utterance << '"'; }

const std::vector<std::string> kShown = {"show my tasks"};
const std::vector<std::string> kAsked = {"show my tasks", "done with the dentist"};

// One row per case reads better than what clang-format would make of it.
// clang-format off
std::vector<Case> Cases() {
  const std::string all_pending = Pending();
  return {
      // ---- adding: quick add reads the rest ----
      {{}, "remind me to call grandma tomorrow at 6pm",
       {R"(add_task {"text":"call grandma tomorrow at 6pm"})"},
       "Added \u201Ccall grandma\u201D, due tomorrow at 18:00."},
      {{}, "add buy bread", {R"(add_task {"text":"buy bread"})"}, "Added \u201Cbuy bread"},
      {{}, "Add Pay taxes friday p1 #home", {R"(add_task {"text":"Pay taxes friday p1 #home"})"},
       "due Fri 20 Nov, priority P1, tagged #home."},
      {{}, "add a task to renew my passport next month",
       {R"(add_task {"text":"renew my passport next month"})"}, "renew my passport"},
      {{}, "create a task to book flights", {R"(add_task {"text":"book flights"})"},
       "book flights"},
      {{}, "new task: dentist checkup friday 3pm",
       {R"(add_task {"text":"dentist checkup friday 3pm"})"}, "due Fri 20 Nov at 15:00"},
      {{}, "todo: call the plumber", {R"(add_task {"text":"call the plumber"})"},
       "call the plumber"},
      {{}, "i need to buy a present for anna", {R"(add_task {"text":"buy a present for anna"})"},
       "buy a present for anna"},
      {{}, "I have to submit the report by friday",
       {R"(add_task {"text":"submit the report by friday"})"}, "Fri 20 Nov"},
      {{}, "don't let me forget to feed the cat tonight",
       {R"(add_task {"text":"feed the cat tonight"})"}, "feed the cat"},
      {{}, "remember to stretch every day at 10am",
       {R"(add_task {"text":"stretch every day at 10am"})"}, "stretch"},
      {{}, "please add groceries to my list", {R"(add_task {"text":"groceries"})"}, "groceries"},
      {{}, "put laundry on my list", {R"(add_task {"text":"laundry"})"}, "laundry"},
      {{}, "remind me to move the car to friday", {R"(add_task {"text":"move the car to friday"})"},
       "move the car"},
      {{}, "add read a book @personal", {R"(add_task {"text":"read a book @personal"})"},
       "tagged #personal"},
      {{}, "add call dad urgent", {R"(add_task {"text":"call dad urgent"})"}, "call dad"},
      {{}, "hey remind me to drink water every 2 hours",
       {R"(add_task {"text":"drink water every 2 hours"})"}, "drink water"},
      {{}, "add tomorrow 5pm", {R"(add_task {"text":"tomorrow 5pm"})"},
       "I couldn't add that: Invalid arguments"},
      {{}, "add pay rent, thanks", {R"(add_task {"text":"pay rent"})"}, "pay rent"},
      {{}, "could you please remind me to pay the electricity bill on the 5th",
       {R"(add_task {"text":"pay the electricity bill on the 5th"})"}, "electricity bill"},

      // ---- listing and filtering ----
      {{}, "show my tasks", {all_pending},
       "You have 7 pending tasks:\n1. Call the bank (due yesterday at 09:00, P2, #work)\n"
       "2. Call mom (due today at 18:00, P1, #family)\n3. Write report (due tomorrow at 17:00"},
      {{}, "list my tasks", {all_pending}, "4. Dentist appointment (due Fri 20 Nov, #health)"},
      {{}, "what's on my list?", {all_pending}, "5. Pay rent (due Tue 1 Dec at 09:00, P2, #home)"},
      {{}, "what do i have to do?", {all_pending}, "6. Buy milk (#home)"},
      {{}, "my tasks", {all_pending}, "7. Dentist bill (P4, #home)"},
      {{}, "tasks", {all_pending}, "pending tasks"},
      {{}, "how many tasks do i have", {all_pending}, "You have 7"},
      {{}, "view my todo list", {all_pending}, "You have 7"},
      {{}, "please show my tasks", {all_pending}, "You have 7"},
      {{}, "what's due this week?", {Pending(kThisWeek)},
       "You have 3 pending tasks due this week:\n1. Call mom"},
      {{}, "tell me what's due this week", {Pending(kThisWeek)}, "due this week"},
      {{}, "what is due today", {Pending(kToday)},
       "You have 1 pending task due today:\n1. Call mom (due today at 18:00, P1, #family)"},
      {{}, "show today's tasks", {Pending(kToday)}, "Call mom"},
      {{}, "what do i need to do today", {Pending(kToday)}, "Call mom"},
      {{}, "give me my agenda for today", {Pending(kToday)}, "Call mom"},
      {{}, "what's due tomorrow", {Pending(kTomorrow)}, "1. Write report"},
      {{}, "do i have anything due tomorrow?", {Pending(kTomorrow)}, "Write report"},
      {{}, "anything due next week?", {Pending(kNextWeek)},
       "You have no pending tasks due next week."},
      {{}, "anything overdue?", {Pending(kOverdue)},
       "You have 1 pending task that is overdue:\n1. Call the bank"},
      {{}, "overdue", {Pending(kOverdue)}, "Call the bank"},
      {{}, "show overdue tasks", {Pending(kOverdue)}, "Call the bank"},
      {{}, "what am i late on", {Pending(kOverdue)}, "Call the bank"},
      {{}, "can you show me what's overdue", {Pending(kOverdue)}, "Call the bank"},
      {{}, "are there any overdue work tasks", {Pending(R"("tag":["work"],)" + kOverdue)},
       "tagged #work that is overdue"},
      {{}, "what's coming up?", {Pending(kUpcoming)}, "due in the next 7 days"},
      {{}, "show upcoming tasks", {Pending(kUpcoming)}, "1. Call mom"},
      {{}, "what's due soon", {Pending(kUpcoming)}, "3. Dentist appointment"},
      {{}, "show my high priority work tasks",
       {Pending(R"("priority":["P1","P2"],"tag":["work"],)")},
       "You have 1 pending P1/P2 task tagged #work:\n1. Call the bank"},
      {{}, "show high priority tasks", {Pending(R"("priority":["P1","P2"],)")},
       "3 pending P1/P2 tasks"},
      {{}, "show my important tasks", {Pending(R"("priority":["P1","P2"],)")}, "P1/P2"},
      {{}, "any urgent tasks?", {Pending(R"("priority":["P1"],)")}, "1. Call mom"},
      {{}, "what's urgent", {Pending(R"("priority":["P1"],)")}, "Call mom"},
      {{}, "show p1 tasks", {Pending(R"("priority":["P1"],)")}, "Call mom"},
      {{}, "list priority 2 tasks", {Pending(R"("priority":["P2"],)")}, "2 pending P2 tasks"},
      {{}, "show low priority tasks", {Pending(R"("priority":["P4"],)")}, "Dentist bill"},
      {{}, "list medium priority tasks due this week",
       {Pending(R"("priority":["P3"],)" + kThisWeek)},
       "Write report"},
      {{}, "show my work tasks", {Pending(R"("tag":["work"],)")},
       "2 pending tasks tagged #work"},
      {{}, "show #work tasks", {Pending(R"("tag":["work"],)")}, "#work"},
      {{}, "list tasks tagged home",
       {Pending(R"("tag":["home"],)")}, "3 pending tasks tagged #home"},
      {{}, "what home stuff is due this week", {Pending(R"("tag":["home"],)" + kThisWeek)},
       "You have no pending tasks tagged #home due this week."},
      {{}, "show @personal", {Pending(R"("tag":["personal"],)")}, "You have no pending tasks"},
      {{}, "show completed tasks", {List(R"("status":"completed",)")},
       "You have 1 completed task:\n1. Renew passport (done)"},
      {{}, "list finished tasks", {List(R"("status":"completed",)")}, "Renew passport"},
      {{}, "show done tasks", {List(R"("status":"completed",)")}, "Renew passport"},
      {{}, "show all tasks", {List("")}, "You have 8 tasks:"},
      {{}, "show everything", {List("")}, "8. Renew passport (done)"},
      {{}, "list all my tasks", {List("")}, "You have 8"},
      {{}, "find tasks about the dentist", {Pending(R"("q":"dentist",)")},
       "2 pending tasks matching \u201Cdentist\u201D"},
      {{}, "find dentist", {Pending(R"("q":"dentist",)")}, "Dentist bill"},
      {{}, "search milk", {Pending(R"("q":"milk",)")}, "Buy milk"},
      {{}, "search for passport", {Pending(R"("q":"passport",)")}, "You have no pending tasks"},
      {{}, "show tasks about taxes", {Pending(R"("q":"taxes",)")}, "matching"},
      {{}, "which tasks have no due date", {Pending(R"("has_due_date":false,)")},
       "2 pending tasks without a due date"},
      {{}, "show tasks without a due date", {Pending(R"("has_due_date":false,)")}, "Buy milk"},

      // ---- completing by number, "it" and title words ----
      {kShown, "done with 2", {Id("complete_task", "t1")},
       "Done: \u201CCall mom\u201D is completed."},
      {kShown, "done with #2", {Id("complete_task", "t1")}, "Call mom"},
      {kShown, "done with number 3", {Id("complete_task", "t6")}, "Write report"},
      {kShown, "done with the second one", {Id("complete_task", "t1")}, "Call mom"},
      {kShown, "done 4", {Id("complete_task", "t2")}, "Dentist appointment"},
      {kShown, "2 done", {Id("complete_task", "t1")}, "Call mom"},
      {kShown, "i've finished task 1", {Id("complete_task", "t5")}, "Call the bank"},
      {kShown, "complete 3", {Id("complete_task", "t6")}, "completed"},
      {kShown, "complete the first one", {Id("complete_task", "t5")}, "Call the bank"},
      {kShown, "complete task 5", {Id("complete_task", "t3")}, "Pay rent"},
      {kShown, "mark 2 as done", {Id("complete_task", "t1")}, "Call mom"},
      {kShown, "tick off 1", {Id("complete_task", "t5")}, "Call the bank"},
      {kShown, "cross off the 3rd", {Id("complete_task", "t6")}, "Write report"},
      {kShown, "completed the third one", {Id("complete_task", "t6")}, "Write report"},
      {kShown, "please mark task 2 as done", {Id("complete_task", "t1")}, "Call mom"},
      {kShown, "ok done with two", {Id("complete_task", "t1")}, "Call mom"},
      {kShown, "done with 9", {}, "The last list I showed has 7 tasks, so there is no number 9."},
      {{}, "done with 2", {},
       "I haven't shown you a list in this conversation yet"},
      {{"what is due today"}, "done with 2", {}, "has 1 task, so there is no number 2"},
      {{"what is due today"}, "mark it as complete", {Id("complete_task", "t1")}, "Call mom"},
      {{"what is due today"}, "finish it", {Id("complete_task", "t1")}, "Call mom"},
      {{"show my tasks", "done with 3"}, "reopen it", {Id("reopen_task", "t6")},
       "Reopened \u201CWrite report\u201D; it is pending again."},
      {{}, "mark it as complete", {}, "I'm not sure which task you mean"},
      {{}, "i finished the report", {Search("report"), Id("complete_task", "t6")},
       "Write report"},
      {{}, "i'm done with the bank", {Search("bank"), Id("complete_task", "t5")},
       "Call the bank"},
      {{}, "finished call the bank", {Search("call the bank"), Id("complete_task", "t5")},
       "Call the bank"},
      {{}, "mark buy milk done", {Search("buy milk"), Id("complete_task", "t4")}, "Buy milk"},
      {{}, "the report is done", {Search("report"), Id("complete_task", "t6")}, "Write report"},
      {{}, "buy milk is finished", {Search("buy milk"), Id("complete_task", "t4")}, "Buy milk"},
      {{}, "check off the groceries", {Search("groceries"), Search("groceries", "")},
       "I couldn't find a task matching \u201Cgroceries\u201D"},
      {{}, "done with the passport",
       {Search("passport"), Search("passport", ""), Id("complete_task", "t8")},
       "Renew passport"},

      // ---- asking back when words match several tasks ----
      {kShown, "done with the dentist", {Search("dentist")},
       "Which one do you mean?\n1. Dentist appointment (due Fri 20 Nov, #health)\n"
       "2. Dentist bill (P4, #home)\nAnswer with its number."},
      {{}, "call is done", {Search("call")}, "Which one do you mean?\n1. Call the bank"},
      {{}, "delete the dentist", {Search("dentist", "")}, "Which one"},
      {kAsked, "2", {Id("complete_task", "t7")},
       "Done: \u201CDentist bill\u201D is completed."},
      {kAsked, "1", {Id("complete_task", "t2")}, "Dentist appointment"},
      {kAsked, "the second one", {Id("complete_task", "t7")}, "Dentist bill"},
      {kAsked, "number 1", {Id("complete_task", "t2")}, "Dentist appointment"},
      {kAsked, "#2", {Id("complete_task", "t7")}, "Dentist bill"},
      {kAsked, "the bill", {Id("complete_task", "t7")}, "Dentist bill"},
      {kAsked, "appointment", {Id("complete_task", "t2")}, "Dentist appointment"},
      {kAsked, "3", {}, "Answer with a number from 1 to 2"},
      {kAsked, "the gym", {}, "I still don't know which one you mean"},
      // The question's list is the last list now: numbers count in it.
      {kAsked, "delete 2", {Id("delete_task", "t7")}, "Deleted \u201CDentist bill"},
      {kAsked, "show my tasks", {all_pending}, "You have 7"},
      {{"move the dentist to friday"}, "1",
       {Update("t2", R"("due_at":"2026-11-20")")}, "Moved \u201CDentist appointment"},
      {{"make the dentist urgent"}, "2", {Update("t7", R"("priority":"P1")")},
       "\u201CDentist bill\u201D is now priority P1."},
      {{"delete the dentist"}, "2", {Id("delete_task", "t7")}, "Deleted"},
      {{"done with the dentist", "1"}, "2", {}, "Sorry, I didn't understand"},

      // ---- reopening ----
      {{"show completed tasks"}, "reopen 1", {Id("reopen_task", "t8")},
       "Reopened \u201CRenew passport\u201D"},
      {{}, "reopen the passport", {Search("passport", "completed"), Id("reopen_task", "t8")},
       "Renew passport"},
      {{}, "uncomplete the passport", {Search("passport", "completed"), Id("reopen_task", "t8")},
       "pending again"},
      {{"show all tasks"}, "re-open task 8", {Id("reopen_task", "t8")}, "Renew passport"},
      {{"show all tasks"}, "undo 8", {Id("reopen_task", "t8")}, "Renew passport"},
      {{"show all tasks"}, "mark 8 as not done", {Id("reopen_task", "t8")}, "Renew passport"},
      {{"show my tasks", "done with 1"}, "mark it undone", {Id("reopen_task", "t5")},
       "Call the bank"},
      {{"show my tasks", "done with 1"}, "mark it as incomplete", {Id("reopen_task", "t5")},
       "Call the bank"},
      {{}, "the passport isn't done",
       {Search("passport", "completed"), Id("reopen_task", "t8")}, "Renew passport"},

      // ---- deleting ----
      {kShown, "delete 3", {Id("delete_task", "t6")},
       "Deleted \u201CWrite report\u201D."},
      {kShown, "remove task 2", {Id("delete_task", "t1")}, "Call mom"},
      {kShown, "get rid of number 4", {Id("delete_task", "t2")}, "Dentist appointment"},
      {kShown, "erase the fifth one", {Id("delete_task", "t3")}, "Pay rent"},
      {kShown, "scrap 1", {Id("delete_task", "t5")}, "Call the bank"},
      {{}, "delete the dentist appointment",
       {Search("dentist appointment", ""), Id("delete_task", "t2")}, "Dentist appointment"},
      {{}, "remove buy milk from my list", {Search("buy milk", ""), Id("delete_task", "t4")},
       "Buy milk"},
      {{}, "drop the rent", {Search("rent", ""), Id("delete_task", "t3")}, "Pay rent"},
      {{}, "cancel the meeting with bob", {Search("meeting with bob", "")}, "couldn't find"},
      {{"what is due today"}, "forget it", {Id("delete_task", "t1")}, "Call mom"},
      {{"what is due today"}, "trash that", {Id("delete_task", "t1")}, "Call mom"},
      // "it" after a delete is the deleted task: it cannot be acted on again.
      {{"what is due today", "delete it"}, "delete it", {Id("delete_task", "t1")},
       "I couldn't delete that task: Task not found"},
      {{"show my tasks", "delete 2"}, "done with 2", {Id("complete_task", "t1")},
       "I couldn't complete \u201CCall mom\u201D: Task not found"},

      // ---- rescheduling ----
      {{}, "move the report to friday",
       {Search("report"), Update("t6", R"("due_at":"2026-11-20")")},
       "Moved \u201CWrite report\u201D to Fri 20 Nov."},
      {kShown, "move 2 to tomorrow", {Update("t1", R"("due_at":"2026-11-19")")},
       "Moved \u201CCall mom\u201D to tomorrow."},
      {kShown, "reschedule task 1 for next week", {Update("t5", R"("due_at":"2026-11-23")")},
       "Mon 23 Nov"},
      {kShown, "postpone 3 until monday", {Update("t6", R"("due_at":"2026-11-23")")},
       "Mon 23 Nov"},
      {{}, "postpone the report", {Search("report"), Update("t6", R"("due_at":"2026-11-19")")},
       "to tomorrow"},
      {{}, "reschedule the rent to 3pm tomorrow",
       {Search("rent"), Update("t3", R"("due_at":"2026-11-19T15:00:00Z")")},
       "to tomorrow at 15:00"},
      {{}, "push back the bank to 5pm",
       {Search("bank"), Update("t5", R"("due_at":"2026-11-18T17:00:00Z")")}, "today at 17:00"},
      {{"what is due today"}, "push it back to next week",
       {Update("t1", R"("due_at":"2026-11-23")")}, "Call mom"},
      {{"what is due today"}, "delay it till Friday", {Update("t1", R"("due_at":"2026-11-20")")},
       "Fri 20 Nov"},
      {kShown, "bump 2 to dec 3", {Update("t1", R"("due_at":"2026-12-03")")}, "Thu 3 Dec"},
      {kShown, "change the due date of 4 to next friday",
       {Update("t2", R"("due_at":"2026-11-27")")}, "Fri 27 Nov"},
      {{}, "set the due date of the report to Monday 9am",
       {Search("report"), Update("t6", R"("due_at":"2026-11-23T09:00:00Z")")},
       "Mon 23 Nov at 09:00"},
      {{}, "make the report due tomorrow",
       {Search("report"), Update("t6", R"("due_at":"2026-11-19")")}, "tomorrow"},
      {{}, "the report is due on friday",
       {Search("report"), Update("t6", R"("due_at":"2026-11-20")")}, "Fri 20 Nov"},
      {kShown, "move 2 to someday", {}, "I couldn't read \u201Csomeday\u201D as a date"},

      // ---- re-prioritising ----
      {kShown, "make 2 high priority", {Update("t1", R"("priority":"P2")")},
       "\u201CCall mom\u201D is now priority P2."},
      {{}, "make the report urgent", {Search("report"), Update("t6", R"("priority":"P1")")},
       "Write report"},
      {{"what is due today"}, "make it p1", {Update("t1", R"("priority":"P1")")}, "P1"},
      {{}, "make the milk a low priority", {Search("milk"), Update("t4", R"("priority":"P4")")},
       "priority P4"},
      {kShown, "set 3 to p2", {Update("t6", R"("priority":"P2")")}, "Write report"},
      {kShown, "change 1 to low priority", {Update("t5", R"("priority":"P4")")}, "P4"},
      {{}, "change the priority of the report to urgent",
       {Search("report"), Update("t6", R"("priority":"P1")")}, "P1"},
      {kShown, "set the priority of task 2 to priority 3", {Update("t1", R"("priority":"P3")")},
       "P3"},
      {kShown, "mark 4 as urgent", {Update("t2", R"("priority":"P1")")}, "Dentist appointment"},
      {kShown, "prioritise 2", {Update("t1", R"("priority":"P1")")}, "P1"},
      {{}, "deprioritize the rent", {Search("rent"), Update("t3", R"("priority":"P4")")},
       "Pay rent"},
      {{}, "the rent is urgent", {Search("rent"), Update("t3", R"("priority":"P1")")}, "P1"},
      {kShown, "set the priority of task 2 to 3", {}, "Sorry, I didn't understand"},

      // ---- tagging ----
      {kShown, "tag 2 with work",
       {Id("get_task", "t1"),
        Update("t1", R"("tags":["family","work"],"expected_version":1)")},
       "Tagged \u201CCall mom\u201D with #work."},
      {{}, "tag the report with work and urgent",
       {Search("report"), Id("get_task", "t6"),
        Update("t6", R"("tags":["work","urgent"],"expected_version":1)")},
       "with #urgent."},
      {{"what is due today"}, "tag it as #home",
       {Id("get_task", "t1"), Update("t1", R"("tags":["family","home"],"expected_version":1)")},
       "#home"},
      {{}, "label the milk as errands",
       {Search("milk"), Id("get_task", "t4"),
        Update("t4", R"("tags":["home","errands"],"expected_version":1)")},
       "#errands"},
      {kShown, "add tag work to 3", {Id("get_task", "t6")},
       "\u201CWrite report\u201D already has #work."},
      {kShown, "add the tags home and garden to 6",
       {Id("get_task", "t4"), Update("t4", R"("tags":["home","garden"],"expected_version":1)")},
       "with #garden."},
      {{"what is due today"}, "add label @errands to it",
       {Id("get_task", "t1"), Update("t1", R"("tags":["family","errands"],"expected_version":1)")},
       "#errands"},

      // ---- help, and what it does not guess ----
      {{}, "hi", {}, "I can keep your task list for you."},
      {{}, "Hello!", {}, "\"done with 2\""},
      {{}, "help", {}, "Numbers refer to the last list I showed you."},
      {{}, "what can you do?", {}, "\"what's due this week?\""},
      {{}, "thanks", {}, "I can keep"},
      {{}, "banana", {}, "Sorry, I didn't understand \u201Cbanana\u201D."},
      {{}, "the weather is nice", {}, "Sorry, I didn't understand"},
      {{}, "make dinner", {}, "Sorry"},
      {{}, "put the kettle on", {}, "Sorry"},
      {{}, "delete", {}, "Sorry"},
      {{}, "2", {}, "Sorry, I didn't understand"},
      {kShown, "2", {}, "Sorry, I didn't understand"},
  };
}
// clang-format on

class OfflineAgentTest : public ::testing::TestWithParam<Case> {};

TEST_P(OfflineAgentTest, MakesExactlyTheseCalls) {
  const Case& c = GetParam();
  InMemoryChatTools tools(Now());
  tools.tasks = SeedTasks();
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  std::vector<ChatTurn> history;
  for (const std::string& earlier : c.before) {
    Result<AgentReply> reply = agent.Respond("u1", history, earlier);
    ASSERT_TRUE(reply.ok());
    history.push_back(ChatTurn{.role = ChatRole::kUser, .content = earlier});
    history.push_back(
        ChatTurn{.role = ChatRole::kAssistant, .content = reply->reply, .actions = reply->actions});
  }
  tools.calls.clear();
  Result<AgentReply> reply = agent.Respond("u1", history, c.utterance);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(tools.calls, c.calls);
  EXPECT_NE(reply->reply.find(c.reply_has), std::string::npos) << reply->reply;
  // The reply's actions are the calls made, with their outcomes.
  ASSERT_EQ(reply->actions.size(), tools.calls.size());
  for (std::size_t i = 0; i < reply->actions.size(); ++i) {
    const ChatAction& action = reply->actions[i];
    EXPECT_EQ(action.call_id, "call_" + std::to_string(i + 1));
    EXPECT_EQ(action.tool + " " + action.arguments_json, tools.calls[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Utterances, OfflineAgentTest, ::testing::ValuesIn(Cases()));

TEST(OfflineAgentTableTest, HoldsAtLeast150Utterances) { EXPECT_GE(Cases().size(), 150u); }

// Around "now" (Wednesday 18 November 2026, 10:00 UTC): an all-day task is due
// for the whole of its day, so the one due today is not overdue yet.
std::vector<FakeTask> OverdueSeed() {
  return {
      {.id = "d1", .title = "Water plants", .due_at = "2026-11-18T00:00:00Z", .all_day = true},
      {.id = "d2", .title = "Send invoice", .due_at = "2026-11-17T00:00:00Z", .all_day = true},
      {.id = "d3", .title = "Standup notes", .due_at = "2026-11-18T09:00:00Z"},
      {.id = "d4", .title = "Lunch with Sam", .due_at = "2026-11-18T12:00:00Z"},
      {.id = "d5", .title = "Old chore", .status = "completed", .due_at = "2026-11-10T09:00:00Z"},
  };
}

class OverdueTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OverdueTest, CountsTimedTasksPastDueAndAllDayTasksWhoseDayIsOver) {
  InMemoryChatTools tools(Now());
  tools.tasks = OverdueSeed();
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  Result<AgentReply> reply = agent.Respond("u1", {}, GetParam());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(tools.calls, std::vector<std::string>{Pending(kOverdue)});
  // Yesterday's all-day task and the one due an hour ago; today's all-day
  // task and the lunch later today are not overdue.
  EXPECT_NE(reply->reply.find("You have 2 pending tasks that are overdue:\n1. Send invoice"),
            std::string::npos)
      << reply->reply;
  EXPECT_NE(reply->reply.find("2. Standup notes"), std::string::npos) << reply->reply;
  EXPECT_EQ(reply->reply.find("Water plants"), std::string::npos) << reply->reply;
  EXPECT_EQ(reply->reply.find("Lunch with Sam"), std::string::npos) << reply->reply;
}

INSTANTIATE_TEST_SUITE_P(Utterances, OverdueTest,
                         ::testing::Values("anything overdue?", "what am i late on",
                                           "show overdue tasks"));

TEST(OverdueTest, AnAllDayTaskDueTodayAloneIsNotOverdue) {
  InMemoryChatTools tools(Now());
  tools.tasks = {OverdueSeed()[0], OverdueSeed()[3]};
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  Result<AgentReply> reply = agent.Respond("u1", {}, "anything overdue?");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->reply, "You have no pending tasks that are overdue.");
}

TEST(OverdueTest, TheNumbersOfTheOverdueListAreTheOnesShown) {
  InMemoryChatTools tools(Now());
  tools.tasks = OverdueSeed();
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  Result<AgentReply> listed = agent.Respond("u1", {}, "anything overdue?");
  ASSERT_TRUE(listed.ok());
  const std::vector<ChatTurn> history = {
      {.role = ChatRole::kUser, .content = "anything overdue?"},
      {.role = ChatRole::kAssistant, .content = listed->reply, .actions = listed->actions}};
  tools.calls.clear();
  ASSERT_TRUE(agent.Respond("u1", history, "done with 2").ok());
  ASSERT_FALSE(tools.calls.empty());
  EXPECT_EQ(tools.calls.back(), Id("complete_task", "d3"));  // Standup notes
}

TEST(OfflineAgentTest, ActsForTheGivenUserOnly) {
  InMemoryChatTools tools(Now());
  tools.tasks = SeedTasks();
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  ASSERT_TRUE(agent.Respond("someone", {}, "show my tasks").ok());
  ASSERT_TRUE(agent.Respond("someone", {}, "add buy bread").ok());
  EXPECT_EQ(tools.users, (std::vector<std::string>{"someone", "someone"}));
}

TEST(OfflineAgentTest, AFailingContextIsAnErrorAndCallsNothing) {
  InMemoryChatTools tools(Now());
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> {
    return Error::Unavailable("database down");
  });
  Result<AgentReply> reply = agent.Respond("u1", {}, "show my tasks");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(tools.calls.empty());
}

TEST(OfflineAgentTest, ManyMatchesAreCappedAndSaidSo) {
  InMemoryChatTools tools(Now());
  for (int i = 1; i <= 12; ++i) {
    tools.tasks.push_back(
        FakeTask{.id = "c" + std::to_string(100 + i), .title = "Call person " + std::to_string(i)});
  }
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  Result<AgentReply> reply = agent.Respond("u1", {}, "done with call");
  ASSERT_TRUE(reply.ok());
  EXPECT_NE(reply->reply.find("10. Call person 10"), std::string::npos) << reply->reply;
  EXPECT_NE(reply->reply.find("(2 more match"), std::string::npos) << reply->reply;
}

TEST(OfflineAgentTest, ALongMessageIsNotEchoedBack) {
  InMemoryChatTools tools(Now());
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  Result<AgentReply> reply = agent.Respond("u1", {}, std::string(4096, 'x'));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->reply.rfind("Sorry, I didn't understand that. I can keep", 0), 0u)
      << reply->reply.substr(0, 100);
}

TEST(OfflineAgentTest, LongListsSayHowManyAreNotShown) {
  InMemoryChatTools tools(Now());
  for (int i = 1; i <= 25; ++i) {
    tools.tasks.push_back(FakeTask{.id = "c" + std::to_string(100 + i), .title = "Task"});
  }
  OfflineAgent agent(tools, [](const std::string&) -> Result<QuickAddContext> { return Now(); });
  Result<AgentReply> reply = agent.Respond("u1", {}, "show my tasks");
  ASSERT_TRUE(reply.ok());
  EXPECT_NE(reply->reply.find("You have 25 pending tasks"), std::string::npos) << reply->reply;
  EXPECT_NE(reply->reply.find("That is the first 20"), std::string::npos) << reply->reply;
}

}  // namespace
}  // namespace taskflow
