#include "domain/task_query.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "domain/tag.hpp"
#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace taskflow {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kQueryTextMaxChars = 200;
constexpr long long kMaxOffset = 1'000'000'000;

constexpr std::array<std::pair<std::string_view, SortField>, 5> kSortFields = {{
    {"created_at", SortField::kCreatedAt},
    {"updated_at", SortField::kUpdatedAt},
    {"due_at", SortField::kDueAt},
    {"priority", SortField::kPriority},
    {"title", SortField::kTitle},
}};

// Parameters that take one value; giving one twice is ambiguous, so an error.
constexpr std::array<std::string_view, 9> kSingleValued = {
    "q",       "status",     "due_after", "due_before", "has_due_date",
    "sort_by", "sort_order", "offset",    "limit",
};

constexpr std::string_view kTimeMessage =
    "must be an RFC 3339 date-time with offset, e.g. 2026-12-01T08:00:00Z";

// All values given for `key`, in order.
std::vector<std::string_view> ValuesOf(const Params& params, std::string_view key) {
  std::vector<std::string_view> values;
  for (const auto& [name, value] : params) {
    if (name == key) values.push_back(value);
  }
  return values;
}

// A plain decimal number: digits only (no sign, no spaces), at most `max`.
std::optional<long long> ParseBoundedInteger(std::string_view text, long long max) {
  if (text.empty()) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > max) return std::nullopt;  // before the next digit can overflow
  }
  return value;
}

class QueryParser {
 public:
  explicit QueryParser(const Params& params) : params_(params) {}

  Result<TaskQuery> Parse() {
    CheckSingleValued();
    ParseText();
    ParseStatus();
    ParsePriorities();
    ParseTags();
    ParseTime("due_after", query_.due_after);
    ParseTime("due_before", query_.due_before);
    ParseHasDueDate();
    ParseSort();
    ParsePage();
    if (!errors_.empty()) return Error::Invalid(std::move(errors_));
    return std::move(query_);
  }

 private:
  void Fail(std::string_view field, std::string message) {
    errors_.push_back({std::string(field), std::move(message)});
  }

  void CheckSingleValued() {
    for (std::string_view key : kSingleValued) {
      if (ValuesOf(params_, key).size() > 1) {
        Fail(key, "must be given once");
        repeated_.push_back(key);
      }
    }
  }

  // The value of a single-valued parameter; nullopt when absent or repeated
  // (the repetition is already reported).
  std::optional<std::string_view> Single(std::string_view key) const {
    if (std::find(repeated_.begin(), repeated_.end(), key) != repeated_.end()) return std::nullopt;
    const auto values = ValuesOf(params_, key);
    if (values.empty()) return std::nullopt;
    return values.front();
  }

  void ParseText() {
    const auto q = Single("q");
    if (!q) return;
    if (!IsValidUtf8(*q)) return Fail("q", "must be valid UTF-8");
    const std::string trimmed = TrimUnicode(*q);
    if (trimmed.empty()) return;  // "?q=" means no text filter
    if (CodePointCount(trimmed) > kQueryTextMaxChars) {
      return Fail("q", "must be at most 200 characters");
    }
    if (HasControlCharacters(trimmed)) return Fail("q", "must not contain control characters");
    query_.text = FoldCase(trimmed);
  }

  void ParseStatus() {
    const auto status = Single("status");
    if (!status) return;
    query_.status = ParseTaskStatus(*status);
    if (!query_.status) Fail("status", "must be pending or completed");
  }

  void ParsePriorities() {
    for (std::string_view text : ValuesOf(params_, "priority")) {
      const auto priority = ParsePriority(text);
      if (!priority) return Fail("priority", "must be P1, P2, P3 or P4");
      AddUnique(query_.priorities, *priority);
    }
  }

  void ParseTags() {
    for (std::string_view text : ValuesOf(params_, "tag")) {
      auto name = NormalizeTagName(text, "tag");
      if (!name.ok()) return validation::AppendErrors(std::move(name).take_error(), errors_);
      AddUnique(query_.tag_keys, FoldCase(*name));
    }
  }

  void ParseTime(std::string_view key, std::optional<Instant>& out) {
    const auto text = Single(key);
    if (!text) return;
    out = ParseRfc3339(*text);
    if (!out) Fail(key, std::string(kTimeMessage));
  }

  void ParseHasDueDate() {
    const auto text = Single("has_due_date");
    if (!text) return;
    if (*text == "true") {
      query_.has_due_date = true;
    } else if (*text == "false") {
      query_.has_due_date = false;
    } else {
      Fail("has_due_date", "must be true or false");
    }
  }

  void ParseSort() {
    if (const auto text = Single("sort_by")) {
      const auto field = ParseSortField(*text);
      if (field) {
        query_.sort_by = *field;
      } else {
        Fail("sort_by", "must be one of created_at, updated_at, due_at, priority, title");
      }
    }
    if (const auto text = Single("sort_order")) {
      const auto order = ParseSortOrder(*text);
      if (order) {
        query_.sort_order = *order;
      } else {
        Fail("sort_order", "must be asc or desc");
      }
    }
  }

  void ParsePage() {
    if (const auto text = Single("offset")) {
      const auto offset = ParseBoundedInteger(*text, kMaxOffset);
      if (offset) {
        query_.offset = *offset;
      } else {
        Fail("offset", "must be an integer from 0 to 1000000000");
      }
    }
    if (const auto text = Single("limit")) {
      const auto limit = ParseBoundedInteger(*text, kMaxPageLimit);
      if (limit && *limit >= 1) {
        query_.limit = static_cast<int>(*limit);
      } else {
        Fail("limit", "must be an integer from 1 to 100");
      }
    }
  }

  template <class T>
  static void AddUnique(std::vector<T>& values, T value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) {
      values.push_back(std::move(value));
    }
  }

  const Params& params_;
  TaskQuery query_;
  std::vector<FieldError> errors_;
  std::vector<std::string_view> repeated_;
};

}  // namespace

std::optional<OverdueCutoff> OverdueCutoffAt(Instant now, std::string_view user_zone) {
  const std::optional<LocalDate> today = LocalDateOf(now, user_zone);
  if (!today) return std::nullopt;
  const std::optional<Instant> today_start = StartOfLocalDate(*today, user_zone);
  if (!today_start) return std::nullopt;
  return OverdueCutoff{now, *today_start};
}

bool IsOverdue(std::optional<Instant> due_at, bool all_day, const OverdueCutoff& cutoff) {
  if (!due_at) return false;
  return *due_at < (all_day ? cutoff.today_start : cutoff.now);
}

std::optional<SortField> ParseSortField(std::string_view text) {
  for (const auto& [name, field] : kSortFields) {
    if (text == name) return field;
  }
  return std::nullopt;
}

std::optional<SortOrder> ParseSortOrder(std::string_view text) {
  if (text == "asc") return SortOrder::kAsc;
  if (text == "desc") return SortOrder::kDesc;
  return std::nullopt;
}

Result<TaskQuery> ParseTaskQuery(const Params& params) { return QueryParser(params).Parse(); }

}  // namespace taskflow
