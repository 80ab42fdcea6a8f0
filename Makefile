# Taskflow — the two commands a newcomer needs:
#   make run    install what is missing, build, serve http://127.0.0.1:8080 on ./data/taskflow.db
#   make test   install, build (normal + ASan/UBSan), start every server the tests need, run every test
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)

# ccache hits across clones in different folders (CI builds a fresh clone).
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= true

# Sanitizer runs must be silent: any report fails the test that produced it.
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

.PHONY: all bootstrap build build-asan build-fuzz run test test-build test-asan test-fuzz bench format clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: bootstrap
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DTASKFLOW_SANITIZE=ON -DTASKFLOW_BUILD_BENCH=OFF >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

run: build
	@mkdir -p data
	$(BUILD)/taskflow serve

test: test-build test-asan test-fuzz

test-build: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: build-asan
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# libFuzzer targets (clang): the cron, RRULE and quick-add parsers, each for a
# bounded time; any crash, sanitizer report, leak or slow input fails.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
build-fuzz: bootstrap
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTASKFLOW_FUZZ=ON -DTASKFLOW_FUZZ_SECONDS=$(FUZZ_SECONDS) -DTASKFLOW_BUILD_TESTS=OFF \
	  -DTASKFLOW_BUILD_BENCH=OFF >/dev/null

test-fuzz: build-fuzz
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target taskflow_fuzz_run

# --- real peers (scripts/peers/, docs/peers.md) ---
KAFKA_PORT ?= 19092
KAFKA_DIR ?= data/kafka
PG_DIR ?= data/pg

.PHONY: peers kafka-up kafka-down pg-up pg-down peers-selftest

# Obtain (once; cached in $${TASKFLOW_CACHE:-~/.cache/taskflow}) what the tests run against.
peers: bootstrap
	@scripts/peers/kafka-fetch >/dev/null
	@scripts/peers/mcp-tools >/dev/null

# A broker for people: 127.0.0.1:$(KAFKA_PORT), data kept in $(KAFKA_DIR), Taskflow's topics created.
kafka-up: bootstrap
	@scripts/peers/kafka-fetch >/dev/null
	@scripts/peers/kafka-up --port $(KAFKA_PORT) --dir $(KAFKA_DIR) >/dev/null
	@scripts/peers/kafka-topics --dir $(KAFKA_DIR)
	@echo "Kafka on 127.0.0.1:$(KAFKA_PORT) (log: $(KAFKA_DIR)/kafka.log). Stop: make kafka-down"

kafka-down:
	@scripts/peers/kafka-down --dir $(KAFKA_DIR)

# A PostgreSQL server for people: data kept in $(PG_DIR); prints TASKFLOW_DATABASE_URL.
pg-up: bootstrap
	@echo "TASKFLOW_DATABASE_URL=$$(scripts/peers/pg-up --dir $(PG_DIR))"

pg-down:
	@scripts/peers/pg-down --dir $(PG_DIR)

# Proves the peers work here: a throwaway broker checked with kcat.
peers-selftest: peers
	@scripts/peers/kafka-selftest

bench: build
	bench/run_http_bench.sh $(BUILD)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
