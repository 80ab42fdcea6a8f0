#include "adapters/sqlite/task_cache.hpp"

namespace taskflow::sqlite {

TaskCache::TaskCache(std::size_t capacity)
    : shard_capacity_((capacity + kShards - 1) / kShards) {}

TaskCache::Shard& TaskCache::ShardOf(std::int64_t seq) {
  return shards_[static_cast<std::uint64_t>(seq) % kShards];
}

std::optional<Task> TaskCache::Find(std::int64_t seq, std::string_view id, std::int64_t version) {
  Shard& shard = ShardOf(seq);
  std::lock_guard lock(shard.mutex);
  const auto found = shard.by_seq.find(seq);
  if (found == shard.by_seq.end()) return std::nullopt;
  const Task& task = found->second->second;
  if (task.id != id || task.version != version) return std::nullopt;
  shard.recent.splice(shard.recent.begin(), shard.recent, found->second);
  return task;
}

void TaskCache::Put(std::int64_t seq, const Task& task) {
  if (shard_capacity_ == 0 || !task.reminders.empty() || task.recurrence_parent_id) return;
  Shard& shard = ShardOf(seq);
  std::lock_guard lock(shard.mutex);
  if (const auto found = shard.by_seq.find(seq); found != shard.by_seq.end()) {
    found->second->second = task;
    shard.recent.splice(shard.recent.begin(), shard.recent, found->second);
    return;
  }
  if (shard.recent.size() >= shard_capacity_) {
    shard.by_seq.erase(shard.recent.back().first);
    shard.recent.pop_back();
  }
  shard.recent.emplace_front(seq, task);
  shard.by_seq.emplace(seq, shard.recent.begin());
}

std::size_t TaskCache::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.recent.size();
  }
  return total;
}

}  // namespace taskflow::sqlite
