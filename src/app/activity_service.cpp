#include "app/activity_service.hpp"

namespace taskflow {

Result<ActivityPage> ActivityService::List(const std::string& user_id, const ActivityQuery& query) {
  std::vector<FieldError> errors;
  if (query.limit < 1 || query.limit > kMaxActivityLimit) {
    errors.push_back({"limit", "must be between 1 and " + std::to_string(kMaxActivityLimit)});
  }
  if (query.offset < 0) errors.push_back({"offset", "must be 0 or more"});
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  ActivityPage page;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    page = tx.ListActivity(user_id, query);
    return {};
  });
  if (!status.ok()) return std::move(status).take_error();
  return page;
}

}  // namespace taskflow
