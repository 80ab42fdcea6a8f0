// A Store that calls `on_commit` after every write transaction that
// committed: the outbox relay of this process learns of new rows at once
// instead of at its next idle poll. Everything else is forwarded.
#pragma once

#include <functional>

#include "ports/store.hpp"

namespace taskflow {

class CommitSignalStore final : public Store {
 public:
  CommitSignalStore(Store& inner, std::function<void()> on_commit)
      : inner_(inner), on_commit_(std::move(on_commit)) {}
  Status Read(const std::function<Status(StoreReader&)>& work) override {
    return inner_.Read(work);
  }
  Status Write(const std::function<Status(StoreWriter&)>& work) override {
    Status status = inner_.Write(work);
    if (status.ok() && on_commit_) on_commit_();
    return status;
  }
  bool Ping() override { return inner_.Ping(); }

 private:
  Store& inner_;
  std::function<void()> on_commit_;
};

}  // namespace taskflow
