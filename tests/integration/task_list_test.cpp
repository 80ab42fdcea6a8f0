// GET /api/tasks: search, every filter, every sort, paging and totals.
#include <algorithm>
#include <map>
#include <set>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

using Ids = std::vector<std::string>;
using IdSet = std::set<std::string>;

std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The sort key of a task for `sort_by`, oriented so that a larger value comes
// first in "desc" order; nullopt for "no priority / no due date".
std::optional<std::string> SortKey(const json::object& task, std::string_view sort_by) {
  if (sort_by == "priority") {
    if (IsNull(task, "priority")) return std::nullopt;
    return std::string(1, static_cast<char>('5' - (Str(task, "priority")[1] - '0')));  // P1 → "4"
  }
  if (sort_by == "due_at") {
    if (IsNull(task, "due_at")) return std::nullopt;
    return NormalizeInstant(Str(task, "due_at"));
  }
  if (sort_by == "title") return AsciiLower(Str(task, "title"));
  return NormalizeInstant(Str(task, std::string(sort_by)));
}

// Checks the order of one answer: keys monotonic in `order`, tasks without a
// key last, and ties broken by id in one consistent direction.
void ExpectSorted(const json::array& tasks, std::string_view sort_by, std::string_view order) {
  int tie_direction = 0;
  for (std::size_t i = 1; i < tasks.size(); ++i) {
    const json::object& a = tasks[i - 1].as_object();
    const json::object& b = tasks[i].as_object();
    const auto ka = SortKey(a, sort_by), kb = SortKey(b, sort_by);
    const std::string where = "positions " + std::to_string(i - 1) + "," + std::to_string(i) +
                              " sorted by " + std::string(sort_by) + " " + std::string(order) +
                              ": " + json::serialize(a) + " then " + json::serialize(b);
    if (!ka && kb) {
      ADD_FAILURE() << "a task without a key before one with a key at " << where;
      continue;
    }
    if (ka && kb && *ka != *kb) {
      EXPECT_TRUE(order == "desc" ? *ka > *kb : *ka < *kb) << "out of order at " << where;
      continue;
    }
    if (ka && !kb) continue;
    // A tie: ids decide, always the same way.
    const int direction = Str(a, "id") < Str(b, "id") ? 1 : -1;
    EXPECT_NE(Str(a, "id"), Str(b, "id")) << where;
    if (tie_direction == 0) tie_direction = direction;
    EXPECT_EQ(direction, tie_direction) << "ties broken inconsistently at " << where;
  }
}

class TaskListTest : public ApiTest {
 protected:
  // Search semantics, checked on a small account (scanned) and on a large one
  // (through the trigram index).
  static void ExpectSearchSemantics(const TestUser& user);
  static void ExpectSearchFollowsEditsAndDeletes(const TestUser& user);

  static IdSet Search(const TestUser& user, const std::string& q) {
    const json::object list = ListTasks(user, {{"q", q}, {"limit", "100"}});
    const Ids ids = IdsOf(list);
    EXPECT_EQ(Int(list, "total"), static_cast<std::int64_t>(ids.size())) << "q=" << q;
    return IdSet(ids.begin(), ids.end());
  }

  static Ids IdsOf(const json::object& list) {
    Ids ids;
    for (const json::value& t : list.at("tasks").as_array())
      ids.push_back(Str(t.as_object(), "id"));
    return ids;
  }

  static IdSet Matching(const TestUser& user, QueryParams params) {
    params.emplace_back("limit", "100");
    const json::object list = ListTasks(user, params);
    const Ids ids = IdsOf(list);
    EXPECT_EQ(Int(list, "total"), static_cast<std::int64_t>(ids.size()))
        << WithQuery("/api/tasks", params);
    EXPECT_EQ(IdSet(ids.begin(), ids.end()).size(), ids.size())
        << "a task listed twice: " << WithQuery("/api/tasks", params);
    return IdSet(ids.begin(), ids.end());
  }

  // Eight tasks with ties and gaps in every sort key.
  static std::vector<json::object> SeedSortable(const TestUser& user) {
    const std::vector<json::object> specs = {
        {{"title", "banana"}, {"priority", "P3"}, {"due_at", "2030-05-01T10:00:00Z"}},
        {{"title", "Apple"}, {"priority", nullptr}, {"due_at", "2030-05-01T10:00:00Z"}},
        {{"title", "cherry"}, {"priority", "P1"}},
        {{"title", "apple"}, {"priority", "P4"}, {"due_at", "2030-04-30T23:59:59Z"}},
        {{"title", "Banana split"}, {"priority", "P2"}, {"due_at", "2030-06-01T00:00:00+02:00"}},
        {{"title", "date"}, {"priority", "P1"}, {"due_at", "2031-01-01T00:00:00Z"}},
        {{"title", "Elderberry"}},
        {{"title", "apple"}, {"priority", "P2"}, {"due_at", "2030-05-01T10:00:00Z"}},
    };
    std::vector<json::object> tasks;
    for (const json::object& spec : specs) tasks.push_back(CreateTask(user, spec));
    // Touch some so that updated_at differs from created_at order.
    for (std::size_t i : {2u, 0u, 6u}) {
      const Response r =
          Patch("/api/tasks/" + Str(tasks[i], "id"), {{"description", "touched"}}, user.token);
      EXPECT_EQ(r.status, 200) << r.Describe();
    }
    return tasks;
  }

  // All ids in one page of 100 for this sort.
  static Ids FullList(const TestUser& user, const std::string& sort_by, const std::string& order) {
    return IdsOf(ListTasks(user, {{"sort_by", sort_by}, {"sort_order", order}, {"limit", "100"}}));
  }

  // Pages through with `limit`, checking total/offset/limit on every page.
  static Ids PageThrough(const TestUser& user, QueryParams params, int limit,
                         std::int64_t expected_total) {
    Ids ids;
    for (int offset = 0; offset <= expected_total + limit; offset += limit) {
      QueryParams page = params;
      page.emplace_back("offset", std::to_string(offset));
      page.emplace_back("limit", std::to_string(limit));
      const json::object list = ListTasks(user, page);
      EXPECT_EQ(Int(list, "total"), expected_total) << WithQuery("/api/tasks", page);
      EXPECT_EQ(Int(list, "offset"), offset);
      EXPECT_EQ(Int(list, "limit"), limit);
      const Ids got = IdsOf(list);
      EXPECT_LE(got.size(), static_cast<std::size_t>(limit));
      ids.insert(ids.end(), got.begin(), got.end());
      if (got.size() < static_cast<std::size_t>(limit)) break;
    }
    return ids;
  }
};

TEST_F(TaskListTest, AnEmptyListHasTheDefaultPage) {
  const TestUser user = NewUser();
  const Response r = Get("/api/tasks", user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json(), json::parse(R"({"tasks":[],"total":0,"offset":0,"limit":20})"));
}

TEST_F(TaskListTest, DefaultsAreCreatedAtDescendingAndTwentyPerPage) {
  const TestUser user = NewUser();
  for (int i = 0; i < 23; ++i) CreateTask(user, "task " + std::to_string(i));
  const json::object list = ListTasks(user, {});
  EXPECT_EQ(Int(list, "total"), 23);
  EXPECT_EQ(Int(list, "limit"), 20);
  EXPECT_EQ(Int(list, "offset"), 0);
  EXPECT_EQ(list.at("tasks").as_array().size(), 20u);
  ExpectSorted(ListTasks(user, {{"limit", "100"}}).at("tasks").as_array(), "created_at", "desc");
  EXPECT_EQ(IdsOf(ListTasks(user, {{"limit", "100"}})),
            IdsOf(ListTasks(
                user, {{"limit", "100"}, {"sort_by", "created_at"}, {"sort_order", "desc"}})));
  // The newest task leads (or ties with the lead on created_at).
  const json::object newest = CreateTask(user, "newest");
  const json::array first = ListTasks(user, {{"limit", "1"}}).at("tasks").as_array();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(Str(first[0].as_object(), "created_at"), Str(newest, "created_at"));
}

void TaskListTest::ExpectSearchSemantics(const TestUser& user) {
  std::map<std::string, std::string> id;
  const std::vector<std::tuple<std::string, std::string, std::string>> seeds = {
      {"A", "Buy milk", ""},
      {"B", "café au lait", ""},
      {"C", "Meeting", "discuss the CAFÉ menu"},
      {"D", "100% done", ""},
      {"E", "100 done", ""},
      {"F", "under_score", ""},
      {"G", "underXscore", ""},
      {"H", "It's \"quoted\"", "O'Brien said \"hi\""},
      {"I", "ÉCOLE", ""},
      {"J", "Straße", ""},
  };
  for (const auto& [key, title, description] : seeds) {
    id[key] = Str(CreateTask(user, {{"title", title}, {"description", description}}), "id");
  }
  auto ids = [&](std::initializer_list<const char*> keys) {
    IdSet s;
    for (const char* k : keys) s.insert(id[k]);
    return s;
  };
  EXPECT_EQ(Search(user, "MILK"), ids({"A"}));
  EXPECT_EQ(Search(user, "CAFÉ"), ids({"B", "C"}));
  EXPECT_EQ(Search(user, "café"), ids({"B", "C"}));
  EXPECT_EQ(Search(user, "Café Au"), ids({"B"}));
  EXPECT_EQ(Search(user, "menu"), ids({"C"})) << "descriptions are searched";
  EXPECT_EQ(Search(user, "école"), ids({"I"}));
  EXPECT_EQ(Search(user, "ÉCOLE"), ids({"I"}));
  EXPECT_EQ(Search(user, "done"), ids({"D", "E"}));
  EXPECT_EQ(Search(user, "0 DO"), ids({"E"})) << "spaces are part of the substring";
  EXPECT_EQ(Search(user, "zzz"), IdSet{});
  // One and two characters (shorter than a trigram).
  EXPECT_EQ(Search(user, "k"), ids({"A"}));
  EXPECT_EQ(Search(user, "É"), ids({"B", "C", "I"}));
  EXPECT_EQ(Search(user, "mi"), ids({"A"}));
  EXPECT_EQ(Search(user, "00"), ids({"D", "E"}));
  EXPECT_EQ(Search(user, "ße"), ids({"J"}));
  // Characters with a meaning in LIKE or FTS syntax are literal.
  EXPECT_EQ(Search(user, "%"), ids({"D"}));
  EXPECT_EQ(Search(user, "0%"), ids({"D"}));
  EXPECT_EQ(Search(user, "_"), ids({"F"}));
  EXPECT_EQ(Search(user, "r_s"), ids({"F"}));
  EXPECT_EQ(Search(user, "\"quoted\""), ids({"H"}));
  EXPECT_EQ(Search(user, "o'brien"), ids({"H"}));
  EXPECT_EQ(Search(user, "\""), ids({"H"}));
  EXPECT_EQ(Search(user, "OR"), ids({"F", "G"}));
  EXPECT_EQ(Search(user, "NOT"), IdSet{});
  EXPECT_EQ(Search(user, "*"), IdSet{});
  EXPECT_EQ(Search(user, "milk*"), IdSet{});
  EXPECT_EQ(Search(user, "(a"), IdSet{});
  EXPECT_EQ(Search(user, "a:b"), IdSet{});
  EXPECT_EQ(Search(user, "NEAR(a b)"), IdSet{});
  EXPECT_EQ(Search(user, "\\"), IdSet{});
}

void TaskListTest::ExpectSearchFollowsEditsAndDeletes(const TestUser& user) {
  const json::object task = CreateTask(user, {{"title", "alpha"}, {"description", "first"}});
  const std::string id = Str(task, "id");
  EXPECT_EQ(Search(user, "alpha"), IdSet{id});
  ASSERT_EQ(
      Patch("/api/tasks/" + id, {{"title", "omega"}, {"description", nullptr}}, user.token).status,
      200);
  EXPECT_EQ(Search(user, "alpha"), IdSet{});
  EXPECT_EQ(Search(user, "first"), IdSet{});
  EXPECT_EQ(Search(user, "OMEGA"), IdSet{id});
  ASSERT_EQ(Delete("/api/tasks/" + id, user.token).status, 204);
  EXPECT_EQ(Search(user, "omega"), IdSet{});
}

TEST_F(TaskListTest, SearchIsACaseInsensitiveUnicodeSubstringOfTitleOrDescription) {
  ExpectSearchSemantics(NewUser());
}

TEST_F(TaskListTest, SearchFollowsEditsAndDeletes) {
  ExpectSearchFollowsEditsAndDeletes(NewUser());
}

TEST_F(TaskListTest, SearchOfALargeAccountGoesThroughTheIndexWithTheSameResults) {
  const TestUser user = NewUser();
  ASSERT_EQ(CreateTasksInParallel(server().base_url(), user.token, kTasksForIndexedSearch,
                                  [](int i) {
                                    return json::object{{"title", PaddingTitle(i)}};
                                  }),
            kTasksForIndexedSearch);
  EXPECT_EQ(Int(ListTasks(user, {{"q", "PADDING"}, {"limit", "1"}}), "total"),
            kTasksForIndexedSearch);
  // Titles "padding a…" are those of tasks 0, 10, 20 … 2000.
  EXPECT_EQ(Int(ListTasks(user, {{"q", "padding a"}}), "total"), 201);
  ExpectSearchSemantics(user);
  ExpectSearchFollowsEditsAndDeletes(user);
}

TEST_F(TaskListTest, StatusFilter) {
  const TestUser user = NewUser();
  const std::string a = Str(CreateTask(user, "a"), "id");
  const std::string b = Str(CreateTask(user, "b"), "id");
  const std::string c = Str(CreateTask(user, "c"), "id");
  ASSERT_EQ(PostEmpty("/api/tasks/" + b + "/complete", user.token).status, 200);
  EXPECT_EQ(Matching(user, {{"status", "pending"}}), (IdSet{a, c}));
  EXPECT_EQ(Matching(user, {{"status", "completed"}}), (IdSet{b}));
  EXPECT_EQ(Matching(user, {}), (IdSet{a, b, c}));
}

TEST_F(TaskListTest, PriorityFilterIsRepeatableAndMeansAnyOf) {
  const TestUser user = NewUser();
  std::map<std::string, std::string> id;
  for (const char* p : {"P1", "P2", "P3", "P4"})
    id[p] = Str(CreateTask(user, {{"title", p}, {"priority", p}}), "id");
  id["none"] = Str(CreateTask(user, "none"), "id");
  EXPECT_EQ(Matching(user, {{"priority", "P1"}}), (IdSet{id["P1"]}));
  EXPECT_EQ(Matching(user, {{"priority", "P1"}, {"priority", "P3"}}), (IdSet{id["P1"], id["P3"]}));
  EXPECT_EQ(Matching(user, {{"priority", "P4"}, {"priority", "P4"}}), (IdSet{id["P4"]}));
  EXPECT_EQ(
      Matching(user,
               {{"priority", "P1"}, {"priority", "P2"}, {"priority", "P3"}, {"priority", "P4"}}),
      (IdSet{id["P1"], id["P2"], id["P3"], id["P4"]}));
}

TEST_F(TaskListTest, TagFilterIsRepeatableAndListsEachTaskOnce) {
  const TestUser user = NewUser();
  const std::string ab =
      Str(CreateTask(user, {{"title", "ab"}, {"tags", json::array{"a", "b"}}}), "id");
  const std::string a = Str(CreateTask(user, {{"title", "a"}, {"tags", json::array{"a"}}}), "id");
  const std::string b =
      Str(CreateTask(user, {{"title", "b"}, {"tags", json::array{"b", "z"}}}), "id");
  const std::string c = Str(CreateTask(user, {{"title", "c"}, {"tags", json::array{"c"}}}), "id");
  CreateTask(user, "untagged");
  EXPECT_EQ(Matching(user, {{"tag", "a"}}), (IdSet{ab, a}));
  EXPECT_EQ(Matching(user, {{"tag", "a"}, {"tag", "b"}}), (IdSet{ab, a, b}));
  EXPECT_EQ(Matching(user, {{"tag", "A"}, {"tag", "B"}, {"tag", "a"}}), (IdSet{ab, a, b}))
      << "tag names match case-insensitively";
  EXPECT_EQ(Matching(user, {{"tag", "c"}}), (IdSet{c}));
  EXPECT_EQ(Matching(user, {{"tag", "nope"}}), IdSet{});
  // Counted once even when paged.
  const json::object page =
      ListTasks(user, {{"tag", "a"}, {"tag", "b"}, {"tag", "z"}, {"limit", "2"}});
  EXPECT_EQ(Int(page, "total"), 3);
  EXPECT_EQ(page.at("tasks").as_array().size(), 2u);
  const Ids rest = IdsOf(
      ListTasks(user, {{"tag", "a"}, {"tag", "b"}, {"tag", "z"}, {"limit", "2"}, {"offset", "2"}}));
  EXPECT_EQ(rest.size(), 1u);
}

TEST_F(TaskListTest, DueBoundsAreInclusive) {
  const TestUser user = NewUser();
  const std::string d1 =
      Str(CreateTask(user, {{"title", "d1"}, {"due_at", "2030-01-01T00:00:00Z"}}), "id");
  const std::string d2 =
      Str(CreateTask(user, {{"title", "d2"}, {"due_at", "2030-01-02T00:00:00Z"}}), "id");
  const std::string d3 =
      Str(CreateTask(user, {{"title", "d3"}, {"due_at", "2030-01-03T00:00:00Z"}}), "id");
  const std::string none = Str(CreateTask(user, "none"), "id");
  EXPECT_EQ(Matching(user, {{"due_after", "2030-01-02T00:00:00Z"}}), (IdSet{d2, d3}));
  EXPECT_EQ(Matching(user, {{"due_before", "2030-01-02T00:00:00Z"}}), (IdSet{d1, d2}));
  EXPECT_EQ(Matching(user, {{"due_after", "2030-01-02T00:00:00Z"},
                            {"due_before", "2030-01-02T00:00:00Z"}}),
            (IdSet{d2}));
  EXPECT_EQ(Matching(user, {{"due_after", "2030-01-02T00:00:01Z"}}), (IdSet{d3}));
  EXPECT_EQ(Matching(user, {{"due_before", "2030-01-01T23:59:59Z"}}), (IdSet{d1}));
  // Offsets are honoured: 01:00+01:00 is midnight UTC.
  EXPECT_EQ(Matching(user, {{"due_after", "2030-01-02T01:00:00+01:00"}}), (IdSet{d2, d3}));
  EXPECT_EQ(Matching(user, {{"due_before", "2030-01-01T19:00:00-05:00"}}), (IdSet{d1, d2}));
  // An empty range matches nothing and is not an error.
  EXPECT_EQ(Matching(user, {{"due_after", "2030-01-03T00:00:00Z"},
                            {"due_before", "2030-01-01T00:00:00Z"}}),
            IdSet{});
  EXPECT_EQ(Matching(user, {{"due_after", "2000-01-01T00:00:00Z"}}), (IdSet{d1, d2, d3}));
  EXPECT_EQ(Matching(user, {}), (IdSet{d1, d2, d3, none}));
}

TEST_F(TaskListTest, HasDueDateFilter) {
  const TestUser user = NewUser();
  const std::string dated =
      Str(CreateTask(user, {{"title", "dated"}, {"due_at", "2030-01-01T00:00:00Z"}}), "id");
  const std::string undated = Str(CreateTask(user, "undated"), "id");
  EXPECT_EQ(Matching(user, {{"has_due_date", "true"}}), (IdSet{dated}));
  EXPECT_EQ(Matching(user, {{"has_due_date", "false"}}), (IdSet{undated}));
  ASSERT_EQ(Patch("/api/tasks/" + dated, {{"due_at", nullptr}}, user.token).status, 200);
  EXPECT_EQ(Matching(user, {{"has_due_date", "true"}}), IdSet{});
}

TEST_F(TaskListTest, FiltersCombine) {
  const TestUser user = NewUser();
  const std::string match = Str(CreateTask(user, {{"title", "Report draft"},
                                                  {"priority", "P1"},
                                                  {"tags", json::array{"work"}},
                                                  {"due_at", "2030-02-01T12:00:00Z"}}),
                                "id");
  CreateTask(user, {{"title", "Report final"},
                    {"priority", "P1"},
                    {"tags", json::array{"home"}},
                    {"due_at", "2030-02-01T12:00:00Z"}});
  CreateTask(user, {{"title", "Report old"},
                    {"priority", "P3"},
                    {"tags", json::array{"work"}},
                    {"due_at", "2030-02-01T12:00:00Z"}});
  CreateTask(user, {{"title", "Other"},
                    {"priority", "P1"},
                    {"tags", json::array{"work"}},
                    {"due_at", "2030-02-01T12:00:00Z"}});
  CreateTask(user,
             {{"title", "Report undated"}, {"priority", "P1"}, {"tags", json::array{"work"}}});
  const std::string done = Str(CreateTask(user, {{"title", "Report done"},
                                                 {"priority", "P2"},
                                                 {"tags", json::array{"work"}},
                                                 {"due_at", "2030-02-01T12:00:00Z"}}),
                               "id");
  ASSERT_EQ(PostEmpty("/api/tasks/" + done + "/complete", user.token).status, 200);
  const QueryParams all = {{"q", "report"},
                           {"status", "pending"},
                           {"priority", "P1"},
                           {"priority", "P2"},
                           {"tag", "work"},
                           {"has_due_date", "true"},
                           {"due_after", "2030-01-01T00:00:00Z"},
                           {"due_before", "2030-03-01T00:00:00Z"}};
  EXPECT_EQ(Matching(user, all), (IdSet{match}));
  QueryParams completed = all;
  completed[1].second = "completed";
  EXPECT_EQ(Matching(user, completed), (IdSet{done}));
}

TEST_F(TaskListTest, PrioritySortPutsP1FirstWhenDescendingAndNoneLastBothWays) {
  const TestUser user = NewUser();
  SeedSortable(user);
  auto priorities = [&](const char* order) {
    std::vector<std::string> out;
    const json::object list =
        ListTasks(user, {{"sort_by", "priority"}, {"sort_order", order}, {"limit", "100"}});
    for (const json::value& t : list.at("tasks").as_array()) {
      out.push_back(IsNull(t.as_object(), "priority") ? "-" : Str(t.as_object(), "priority"));
    }
    return out;
  };
  EXPECT_EQ(priorities("desc"),
            (std::vector<std::string>{"P1", "P1", "P2", "P2", "P3", "P4", "-", "-"}));
  EXPECT_EQ(priorities("asc"),
            (std::vector<std::string>{"P4", "P3", "P2", "P2", "P1", "P1", "-", "-"}));
}

TEST_F(TaskListTest, DueDateSortPutsUndatedTasksLastBothWays) {
  const TestUser user = NewUser();
  SeedSortable(user);
  auto titles = [&](const char* order) {
    return ListTitles(user, {{"sort_by", "due_at"}, {"sort_order", order}, {"limit", "100"}});
  };
  const std::vector<std::string> asc = titles("asc");
  ASSERT_EQ(asc.size(), 8u);
  EXPECT_EQ(asc[0], "apple");         // 2030-04-30T23:59:59Z
  EXPECT_EQ(asc[4], "Banana split");  // 2030-05-31T22:00:00Z
  EXPECT_EQ(asc[5], "date");
  EXPECT_EQ((std::set<std::string>{asc[6], asc[7]}),
            (std::set<std::string>{"cherry", "Elderberry"}));
  const std::vector<std::string> desc = titles("desc");
  ASSERT_EQ(desc.size(), 8u);
  EXPECT_EQ(desc[0], "date");
  EXPECT_EQ(desc[1], "Banana split");
  EXPECT_EQ(desc[5], "apple");
  EXPECT_EQ((std::set<std::string>{desc[6], desc[7]}),
            (std::set<std::string>{"cherry", "Elderberry"}));
}

TEST_F(TaskListTest, TitleSortIgnoresCase) {
  const TestUser user = NewUser();
  SeedSortable(user);
  const std::vector<std::string> asc =
      ListTitles(user, {{"sort_by", "title"}, {"sort_order", "asc"}, {"limit", "100"}});
  std::vector<std::string> lowered;
  for (const std::string& t : asc) lowered.push_back(AsciiLower(t));
  EXPECT_EQ(lowered, (std::vector<std::string>{"apple", "apple", "apple", "banana", "banana split",
                                               "cherry", "date", "elderberry"}));
  const std::vector<std::string> desc =
      ListTitles(user, {{"sort_by", "title"}, {"sort_order", "desc"}, {"limit", "100"}});
  ASSERT_EQ(desc.size(), 8u);
  EXPECT_EQ(desc[0], "Elderberry");
  EXPECT_EQ(AsciiLower(desc[7]), "apple");
}

TEST_F(TaskListTest, EverySortIsOrderedWithConsistentTieBreaks) {
  const TestUser user = NewUser();
  SeedSortable(user);
  for (const char* sort_by : {"created_at", "updated_at", "due_at", "priority", "title"}) {
    for (const char* order : {"asc", "desc"}) {
      SCOPED_TRACE(std::string(sort_by) + " " + order);
      const json::object list =
          ListTasks(user, {{"sort_by", sort_by}, {"sort_order", order}, {"limit", "100"}});
      EXPECT_EQ(Int(list, "total"), 8);
      ExpectSorted(list.at("tasks").as_array(), sort_by, order);
    }
  }
  // Default order is descending.
  EXPECT_EQ(FullList(user, "title", "desc"),
            IdsOf(ListTasks(user, {{"sort_by", "title"}, {"limit", "100"}})));
}

TEST_F(TaskListTest, UpdatedAtSortFollowsEdits) {
  const TestUser user = NewUser();
  const std::vector<json::object> tasks = SeedSortable(user);
  // Touch task 3 until its updated_at is strictly the newest (bounded: the
  // clock moves on within a few writes).
  const std::string url = "/api/tasks/" + Str(tasks[3], "id");
  std::string newest;
  const json::object all = ListTasks(user, {{"limit", "100"}});
  for (const json::value& t : all.at("tasks").as_array()) {
    newest = std::max(newest, NormalizeInstant(Str(t.as_object(), "updated_at")));
  }
  bool strictly_newest = false;
  for (int attempt = 0; attempt < 1000 && !strictly_newest; ++attempt) {
    const Response r =
        Patch(url, {{"description", "touch " + std::to_string(attempt)}}, user.token);
    ASSERT_EQ(r.status, 200) << r.Describe();
    strictly_newest = NormalizeInstant(Str(r.json().as_object(), "updated_at")) > newest;
  }
  ASSERT_TRUE(strictly_newest) << "updated_at never moved past " << newest;
  const json::object list =
      ListTasks(user, {{"sort_by", "updated_at"}, {"sort_order", "desc"}, {"limit", "1"}});
  ASSERT_EQ(list.at("tasks").as_array().size(), 1u);
  EXPECT_EQ(Str(list.at("tasks").as_array()[0].as_object(), "id"), Str(tasks[3], "id"));
  const json::object asc =
      ListTasks(user, {{"sort_by", "updated_at"}, {"sort_order", "asc"}, {"limit", "100"}});
  ASSERT_EQ(asc.at("tasks").as_array().size(), 8u);
  EXPECT_EQ(Str(asc.at("tasks").as_array()[7].as_object(), "id"), Str(tasks[3], "id"));
}

TEST_F(TaskListTest, PagingNeverRepeatsOrSkipsATask) {
  const TestUser user = NewUser();
  SeedSortable(user);
  for (const char* sort_by : {"created_at", "updated_at", "due_at", "priority", "title"}) {
    for (const char* order : {"asc", "desc"}) {
      const Ids full = FullList(user, sort_by, order);
      ASSERT_EQ(full.size(), 8u);
      for (int limit = 1; limit <= 3; ++limit) {
        SCOPED_TRACE(std::string(sort_by) + " " + order + " limit " + std::to_string(limit));
        const Ids paged =
            PageThrough(user, {{"sort_by", sort_by}, {"sort_order", order}}, limit, 8);
        EXPECT_EQ(paged, full);
      }
    }
  }
}

TEST_F(TaskListTest, PagingWorksWithFilters) {
  const TestUser user = NewUser();
  for (int i = 0; i < 7; ++i) {
    CreateTask(user, {{"title", "same title"},
                      {"priority", i % 2 == 0 ? "P1" : "P2"},
                      {"tags", json::array{"t"}}});
  }
  CreateTask(user, {{"title", "same title"}, {"priority", "P3"}});
  const QueryParams filter = {{"tag", "t"},
                              {"priority", "P1"},
                              {"priority", "P2"},
                              {"sort_by", "title"},
                              {"sort_order", "asc"}};
  QueryParams all = filter;
  all.emplace_back("limit", "100");
  const Ids full = IdsOf(ListTasks(user, all));
  ASSERT_EQ(full.size(), 7u);
  EXPECT_EQ(PageThrough(user, filter, 2, 7), full);
  EXPECT_EQ(PageThrough(user, filter, 3, 7), full);
}

TEST_F(TaskListTest, AnOffsetPastTheEndIsAnEmptyPage) {
  const TestUser user = NewUser();
  CreateTask(user, "one");
  CreateTask(user, "two");
  const json::object list = ListTasks(user, {{"offset", "5"}, {"limit", "10"}});
  EXPECT_TRUE(list.at("tasks").as_array().empty());
  EXPECT_EQ(Int(list, "total"), 2);
  EXPECT_EQ(Int(list, "offset"), 5);
  EXPECT_EQ(Int(list, "limit"), 10);
}

}  // namespace
}  // namespace taskflow::integration
