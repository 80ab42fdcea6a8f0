// The offline agent's phrase set: each utterance with what it must be
// understood as, written as a short canonical description (Describe below).
#include "domain/chat_intent.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace taskflow::chat {
namespace {

std::string DescribeReference(const TaskReference& ref) {
  switch (ref.kind) {
    case TaskReference::Kind::kNone: return "?";
    case TaskReference::Kind::kNumber: return "#" + std::to_string(ref.number);
    case TaskReference::Kind::kLast: return "it";
    case TaskReference::Kind::kTitle: return "\"" + ref.words + "\"";
  }
  return "?";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string Describe(const Intent& intent) {
  std::string out(ToString(intent.kind));
  switch (intent.kind) {
    case IntentKind::kUnknown:
    case IntentKind::kHelp:
      break;
    case IntentKind::kAdd:
      out += " \"" + intent.add_text + "\"";
      break;
    case IntentKind::kList: {
      const ListFilter& f = intent.filter;
      out += f.all_statuses ? " all" : (f.status == TaskStatus::kCompleted ? " completed" : " pending");
      if (f.due != DueWindow::kAny) out += " due=" + std::string(ToString(f.due));
      if (!f.priorities.empty()) {
        std::vector<std::string> names;
        for (Priority p : f.priorities) names.emplace_back(ToString(p));
        out += " priority=" + Join(names);
      }
      if (!f.tags.empty()) out += " tags=" + Join(f.tags);
      if (!f.text.empty()) out += " text=\"" + f.text + "\"";
      break;
    }
    case IntentKind::kComplete:
    case IntentKind::kReopen:
    case IntentKind::kDelete:
      out += " " + DescribeReference(intent.target);
      break;
    case IntentKind::kReschedule:
      out += " " + DescribeReference(intent.target) + " to \"" + intent.due_text + "\"";
      break;
    case IntentKind::kReprioritise:
      out += " " + DescribeReference(intent.target) + " " +
             std::string(intent.priority ? ToString(*intent.priority) : "?");
      break;
    case IntentKind::kTag:
      out += " " + DescribeReference(intent.target) + " with " + Join(intent.tags);
      break;
  }
  return out;
}

struct Case {
  const char* utterance;
  const char* expected;
};

class ChatIntentTest : public ::testing::TestWithParam<Case> {};

TEST_P(ChatIntentTest, IsUnderstood) {
  EXPECT_EQ(Describe(ParseChatMessage(GetParam().utterance)), GetParam().expected)
      << "utterance: " << GetParam().utterance;
}

const Case kCases[] = {
    // ---- adding: the rest goes to quick add, case kept ----
    {"remind me to call mom tomorrow at 6pm", "add \"call mom tomorrow at 6pm\""},
    {"Remind me to call Mom tomorrow at 6pm", "add \"call Mom tomorrow at 6pm\""},
    {"add buy milk", "add \"buy milk\""},
    {"Add Buy milk tomorrow p1 #home", "add \"Buy milk tomorrow p1 #home\""},
    {"add a task to renew my passport next month", "add \"renew my passport next month\""},
    {"add task: file taxes by april 15", "add \"file taxes by april 15\""},
    {"add a new task to water the plants every monday", "add \"water the plants every monday\""},
    {"add todo pick up dry cleaning", "add \"pick up dry cleaning\""},
    {"create a task to book flights", "add \"book flights\""},
    {"create a new task pay rent every month on the 1st", "add \"pay rent every month on the 1st\""},
    {"new task: dentist appointment friday 3pm", "add \"dentist appointment friday 3pm\""},
    {"new todo write blog post", "add \"write blog post\""},
    {"todo: call the bank", "add \"call the bank\""},
    {"to do clean the garage this weekend", "add \"clean the garage this weekend\""},
    {"i need to buy a birthday present for anna", "add \"buy a birthday present for anna\""},
    {"I have to submit the report by friday", "add \"submit the report by friday\""},
    {"i must renew the car insurance", "add \"renew the car insurance\""},
    {"i should call grandma on sunday", "add \"call grandma on sunday\""},
    {"don't let me forget to feed the cat tonight", "add \"feed the cat tonight\""},
    {"don’t let me forget to feed the cat tonight", "add \"feed the cat tonight\""},
    {"don't forget to take out the trash every tuesday", "add \"take out the trash every tuesday\""},
    {"remember to stretch every day at 10am", "add \"stretch every day at 10am\""},
    {"remind me about the team meeting at 2pm", "add \"the team meeting at 2pm\""},
    {"please add groceries to my list", "add \"groceries\""},
    {"can you add call the plumber to my list?", "add \"call the plumber\""},
    {"could you please remind me to pay the electricity bill on the 5th",
     "add \"pay the electricity bill on the 5th\""},
    {"put laundry on my list", "add \"laundry\""},
    {"put new tires on my todo list", "add \"new tires\""},
    {"add finish the slides to my list", "add \"finish the slides\""},
    {"add get nails done", "add \"get nails done\""},
    {"remind me to move the car to friday", "add \"move the car to friday\""},
    {"add email Bob about the Q3 numbers !!1", "add \"email Bob about the Q3 numbers !!1\""},
    {"add read a book @personal", "add \"read a book @personal\""},
    {"add call dad urgent", "add \"call dad urgent\""},
    {"ok add vacuum the living room", "add \"vacuum the living room\""},
    {"hey remind me to drink water every 2 hours", "add \"drink water every 2 hours\""},
    {"add pay rent, thanks", "add \"pay rent\""},
    {"add book dentist please", "add \"book dentist\""},

    // ---- listing and filtering ----
    {"show my tasks", "list pending"},
    {"list my tasks", "list pending"},
    {"what's on my list?", "list pending"},
    {"whats on my plate", "list pending"},
    {"what do i have to do?", "list pending"},
    {"my tasks", "list pending"},
    {"tasks", "list pending"},
    {"what's due this week?", "list pending due=this_week"},
    {"what is due today", "list pending due=today"},
    {"what's due tomorrow", "list pending due=tomorrow"},
    {"anything due next week?", "list pending due=next_week"},
    {"anything overdue?", "list pending due=overdue"},
    {"overdue", "list pending due=overdue"},
    {"overdue tasks", "list pending due=overdue"},
    {"show overdue tasks", "list pending due=overdue"},
    {"what am i late on", "list pending due=overdue"},
    {"what did i miss? anything past due", "list pending due=overdue"},
    {"what's coming up?", "list pending due=upcoming"},
    {"show upcoming tasks", "list pending due=upcoming"},
    {"what's due soon", "list pending due=upcoming"},
    {"show today's tasks", "list pending due=today"},
    {"what do i need to do today", "list pending due=today"},
    {"what's on for tonight", "list pending due=today"},
    {"show my high priority work tasks", "list pending priority=P1,P2 tags=work"},
    {"show high priority tasks", "list pending priority=P1,P2"},
    {"show my important tasks", "list pending priority=P1,P2"},
    {"any urgent tasks?", "list pending priority=P1"},
    {"what's urgent", "list pending priority=P1"},
    {"what is urgent?", "list pending priority=P1"},
    {"show p1 tasks", "list pending priority=P1"},
    {"list priority 2 tasks", "list pending priority=P2"},
    {"show low priority tasks", "list pending priority=P4"},
    {"list medium priority tasks due this week", "list pending due=this_week priority=P3"},
    {"show my work tasks", "list pending tags=work"},
    {"show #work tasks", "list pending tags=work"},
    {"list tasks tagged home", "list pending tags=home"},
    {"show tasks tagged with errands", "list pending tags=errands"},
    {"what home stuff is due this week", "list pending due=this_week tags=home"},
    {"show @personal", "list pending tags=personal"},
    {"show completed tasks", "list completed"},
    {"what did i finish this week?", "list completed due=this_week"},
    {"list finished tasks", "list completed"},
    {"show done tasks", "list completed"},
    {"show all tasks", "list all"},
    {"show everything", "list all"},
    {"list all my tasks", "list all"},
    {"show tasks about taxes", "list pending text=\"taxes\""},
    {"find tasks about the dentist", "list pending text=\"dentist\""},
    {"find dentist", "list pending text=\"dentist\""},
    {"search for passport", "list pending text=\"passport\""},
    {"search milk", "list pending text=\"milk\""},
    {"show tasks containing invoice", "list pending text=\"invoice\""},
    {"which tasks have no due date", "list pending due=no_date"},
    {"show tasks without a due date", "list pending due=no_date"},
    {"do i have anything due tomorrow?", "list pending due=tomorrow"},
    {"are there any overdue work tasks", "list pending due=overdue tags=work"},
    {"give me my agenda for today", "list pending due=today"},
    {"tell me what's due this week", "list pending due=this_week"},
    {"how many tasks do i have", "list pending"},
    {"view my todo list", "list pending"},
    {"please show my tasks", "list pending"},
    {"can you show me what's overdue", "list pending due=overdue"},

    // ---- completing ----
    {"done with 2", "complete #2"},
    {"done with #2", "complete #2"},
    {"done with number 3", "complete #3"},
    {"done with the second one", "complete #2"},
    {"done 4", "complete #4"},
    {"2 done", "complete #2"},
    {"i'm done with the laundry", "complete \"laundry\""},
    {"I’m done with the laundry", "complete \"laundry\""},
    {"i finished the report", "complete \"report\""},
    {"i've finished task 1", "complete #1"},
    {"i did the dishes", "complete \"dishes\""},
    {"finished call the bank", "complete \"call the bank\""},
    {"complete 3", "complete #3"},
    {"complete the first one", "complete #1"},
    {"complete task 5", "complete #5"},
    {"mark 2 as done", "complete #2"},
    {"mark the dentist as done", "complete \"dentist\""},
    {"mark buy milk done", "complete \"buy milk\""},
    {"mark it as complete", "complete it"},
    {"mark that completed", "complete it"},
    {"check off the groceries", "complete \"groceries\""},
    {"tick off 1", "complete #1"},
    {"cross off the 3rd", "complete #3"},
    {"the report is done", "complete \"report\""},
    {"buy milk is finished", "complete \"buy milk\""},
    {"it's done", "complete \"it's\""},
    {"that one is done", "complete it"},
    {"finish it", "complete it"},
    {"completed the third one", "complete #3"},
    {"please mark task 2 as done", "complete #2"},
    {"ok done with two", "complete #2"},

    // ---- reopening ----
    {"reopen 2", "reopen #2"},
    {"reopen the report", "reopen \"report\""},
    {"re-open task 3", "reopen #3"},
    {"undo 1", "reopen #1"},
    {"uncomplete the dishes", "reopen \"dishes\""},
    {"mark 2 as not done", "reopen #2"},
    {"mark the laundry as pending", "reopen \"laundry\""},
    {"mark it undone", "reopen it"},
    {"mark it as incomplete", "reopen it"},
    {"the report is not done", "reopen \"report\""},
    {"the report isn't done", "reopen \"report\""},

    // ---- deleting ----
    {"delete 3", "delete #3"},
    {"delete the dentist appointment", "delete \"dentist appointment\""},
    {"remove task 2", "delete #2"},
    {"remove buy milk from my list", "delete \"buy milk\""},
    {"drop the gym", "delete \"gym\""},
    {"cancel the meeting with bob", "delete \"meeting with bob\""},
    {"get rid of number 4", "delete #4"},
    {"forget about the party", "delete \"party\""},
    {"forget it", "delete it"},
    {"erase the fifth one", "delete #5"},
    {"trash that", "delete it"},
    {"scrap 1", "delete #1"},

    // ---- rescheduling ----
    {"move the dentist to friday", "reschedule \"dentist\" to \"friday\""},
    {"move 2 to tomorrow", "reschedule #2 to \"tomorrow\""},
    {"move talk to bob to next monday", "reschedule \"talk to bob\" to \"next monday\""},
    {"reschedule the meeting to 3pm tomorrow", "reschedule \"meeting\" to \"3pm tomorrow\""},
    {"reschedule task 1 for next week", "reschedule #1 to \"next week\""},
    {"postpone 3 until monday", "reschedule #3 to \"monday\""},
    {"postpone the report", "reschedule \"report\" to \"tomorrow\""},
    {"push the gym to saturday", "reschedule \"gym\" to \"saturday\""},
    {"push back the call to 5pm", "reschedule \"call\" to \"5pm\""},
    {"push it back to next week", "reschedule it to \"next week\""},
    {"delay it till Friday", "reschedule it to \"Friday\""},
    {"bump 2 to dec 3", "reschedule #2 to \"dec 3\""},
    {"change the due date of 4 to next friday", "reschedule #4 to \"next friday\""},
    {"set the due date of the report to Monday 9am", "reschedule \"report\" to \"Monday 9am\""},
    {"make the report due tomorrow", "reschedule \"report\" to \"tomorrow\""},
    {"the report is due on friday", "reschedule \"report\" to \"on friday\""},

    // ---- re-prioritising ----
    {"make 2 high priority", "reprioritise #2 P2"},
    {"make the report urgent", "reprioritise \"report\" P1"},
    {"make it p1", "reprioritise it P1"},
    {"make the gym a low priority", "reprioritise \"gym\" P4"},
    {"set 3 to p2", "reprioritise #3 P2"},
    {"set the taxes to high priority", "reprioritise \"taxes\" P2"},
    {"change 1 to low priority", "reprioritise #1 P4"},
    {"change the priority of the report to urgent", "reprioritise \"report\" P1"},
    {"set the priority of task 2 to 3", "unknown"},
    {"set the priority of task 2 to priority 3", "reprioritise #2 P3"},
    {"mark the dentist as important", "reprioritise \"dentist\" P2"},
    {"mark 4 as urgent", "reprioritise #4 P1"},
    {"prioritize the invoice", "reprioritise \"invoice\" P1"},
    {"prioritise 2", "reprioritise #2 P1"},
    {"deprioritize the blog post", "reprioritise \"blog post\" P4"},
    {"the invoice is urgent", "reprioritise \"invoice\" P1"},
    {"taxes is critical", "reprioritise \"taxes\" P1"},

    // ---- tagging ----
    {"tag 2 with work", "tag #2 with work"},
    {"tag the report with work and urgent", "tag \"report\" with work,urgent"},
    {"tag it as #home", "tag it with home"},
    {"label the groceries as errands", "tag \"groceries\" with errands"},
    {"add tag work to 3", "tag #3 with work"},
    {"add the tags home and garden to the fence repair", "tag \"fence repair\" with home,garden"},
    {"add label @errands to it", "tag it with errands"},

    // ---- help, and what it must not guess ----
    {"hi", "help"},
    {"Hello!", "help"},
    {"help", "help"},
    {"what can you do?", "help"},
    {"thanks", "help"},
    {"", "unknown"},
    {"   ", "unknown"},
    {"banana", "unknown"},
    {"the weather is nice", "unknown"},
    {"move", "unknown"},
    {"delete", "unknown"},
    {"done", "unknown"},
    {"add", "unknown"},
    {"remind me to", "unknown"},
    {"tag 2", "unknown"},
    {"make dinner", "unknown"},
    {"put the kettle on", "unknown"},
};

INSTANTIATE_TEST_SUITE_P(Phrases, ChatIntentTest, ::testing::ValuesIn(kCases));

TEST(ChatIntentTableTest, HoldsAtLeast150Utterances) {
  EXPECT_GE(std::size(kCases), 150u);
}

TEST(ChatIntentTest, LongAndBinaryInputIsBoundedAndUnderstoodAsNothing) {
  std::string noise(4096, 'x');
  noise[100] = '\0';
  noise[200] = static_cast<char>(0xFF);
  EXPECT_EQ(ParseChatMessage(noise).kind, IntentKind::kUnknown);
  std::string words;
  for (int i = 0; i < 500; ++i) words += "to ";
  EXPECT_EQ(ParseChatMessage("move " + words).kind, IntentKind::kReschedule);
  EXPECT_EQ(ParseChatMessage("add " + words).kind, IntentKind::kAdd);
}

// Answers to the agent's "Which one?".
TEST(ChatIntentTest, ABareReferenceIsReadAsOne) {
  const std::vector<std::pair<const char*, const char*>> answers = {
      {"2", "#2"},           {"#3", "#3"},          {"the second one", "#2"},
      {"number 2", "#2"},    {"2nd", "#2"},         {"the first", "#1"},
      {"task 4.", "#4"},     {"that one", "it"},    {"this one", "it"},
      {"the bill", "\"bill\""}, {"Dentist Bill!", "\"dentist bill\""},
      {"", "?"},             {"  ?", "?"},
  };
  for (const auto& [answer, expected] : answers) {
    EXPECT_EQ(DescribeReference(ParseTaskReference(answer)), expected) << answer;
  }
}

}  // namespace
}  // namespace taskflow::chat
