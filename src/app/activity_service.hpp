// Use cases of the activity log (written by the audit service): a user reads
// their own history only.
#pragma once

#include <string>

#include "app/services.hpp"
#include "domain/result.hpp"
#include "ports/event_records.hpp"

namespace taskflow {

inline constexpr int kMaxActivityLimit = 200;

// Thread-safe.
class ActivityService {
 public:
  explicit ActivityService(Ports ports) : ports_(ports) {}
  // The user's entries, newest first. limit 1..kMaxActivityLimit, offset >= 0
  // (kInvalidArgument naming "limit" / "offset").
  Result<ActivityPage> List(const std::string& user_id, const ActivityQuery& query);

 private:
  Ports ports_;
};

}  // namespace taskflow
