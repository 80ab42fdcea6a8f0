// The contract of the Store port as tests: what every adapter (SQLite,
// PostgreSQL) must do, written once and run against each backend. An adapter's
// test binary compiles store_contract_test.cpp and instantiates the suites
// with a harness that makes fresh stores of its backend:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreBackend{"Sqlite", &MakeHarness}),
//                            BackendName);
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractListTest, …same…);
//
// Test-only. Behaviour only one backend has (SQLite's busy file, a
// PostgreSQL lock timeout …) is tested beside that adapter.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "ports/store.hpp"
#include "ports/store_test_support.hpp"

namespace taskflow::testing {

// Makes the stores of one backend for one test.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  // The store under test on a fresh, migrated, empty database that lives as
  // long as the harness. Null after recording a test failure when it cannot
  // be made.
  virtual std::unique_ptr<Store> OpenStore() = 0;
  // Further stores on the same database that take other query paths (SQLite:
  // search through the trigram index only); every list query must answer the
  // same through each of them.
  virtual std::vector<std::unique_ptr<Store>> OpenPeerStores() { return {}; }
  // How many reads the store under test runs at once (its pool size).
  virtual int ReadConnections() const = 0;
};

struct StoreBackend {
  std::string name;  // in test names: letters and digits only
  std::function<std::unique_ptr<StoreHarness>()> make;
};

// Prints the backend's name (not its bytes) in test names and messages.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

// For INSTANTIATE_TEST_SUITE_P: names each instance after its backend.
inline std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

// A fresh store holding two users, u1 and u2, with helpers that run one
// repository call per transaction.
class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;

  // Runs `work` in a write transaction that must commit; returns its value.
  template <class Work>
  auto Write(Work work) {
    return WriteOrFail(*store_, std::move(work));
  }

  template <class Work>
  auto Read(Work work) {
    return ReadOrFail(*store_, std::move(work));
  }

  std::optional<Task> Find(const std::string& user_id, const std::string& task_id);
  static std::vector<std::string> IdsOf(const TaskPage& page);
  // The page from the store under test, checked against every peer store.
  TaskPage List(const TaskQuery& query, const std::string& user_id = "u1");
  std::vector<std::string> Ids(const TaskQuery& query, const std::string& user_id = "u1");

  std::unique_ptr<StoreHarness> harness_;
  std::unique_ptr<Store> store_;
  std::vector<std::unique_ptr<Store>> peers_;
};

// Adds six tasks of u1 (and two of u2) covering every filter and sort.
class StoreContractListTest : public StoreContractTest {
 protected:
  void SetUp() override;

  static TaskQuery Sorted(SortField field, SortOrder order) {
    TaskQuery query;
    query.sort_by = field;
    query.sort_order = order;
    return query;
  }
};

}  // namespace taskflow::testing
