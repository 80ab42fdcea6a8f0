// The version lists the migration tests of both SQL stores expect, derived
// from the store's latest version, so that a new migration changes only the
// tests about it.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace taskflow::testing {

class MigrationVersions {
 public:
  explicit MigrationVersions(int latest) : latest_(latest) {}

  int latest() const { return latest_; }
  // first … latest: what `migrate up` applies to a database at first - 1.
  std::vector<int> From(int first) const {
    std::vector<int> versions;
    for (int v = first; v <= latest_; ++v) versions.push_back(v);
    return versions;
  }
  // latest … last: what `migrate down` reverts to go below last.
  std::vector<int> DownTo(int last) const {
    std::vector<int> versions = From(last);
    std::reverse(versions.begin(), versions.end());
    return versions;
  }
  // The `--steps` that revert `version` and every migration above it.
  int StepsToRevert(int version) const { return latest_ - version + 1; }
  // How a store refuses a database whose schema is at `current` < latest.
  std::string Refusal(int current) const {
    return "database schema is at version " + std::to_string(current) + ", expected " +
           std::to_string(latest_) + ": run `taskflow migrate up`";
  }

 private:
  int latest_;
};

}  // namespace taskflow::testing
