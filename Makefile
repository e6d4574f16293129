# Switchboard: `make run` and `make test` work on a fresh Debian 12 machine.
# Both install the Debian packages they need (skipping what is installed), build,
# then run the host or every test.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CONFIG ?= config/switchboard.yaml
JOBS ?= $(shell nproc)

# Boost 1.81 exactly: never the catch-all or unversioned Boost packages (1.74 on bookworm).
APT_PACKAGES := g++ cmake ninja-build pkg-config ccache make \
  libboost1.81-dev libboost-system1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libboost-filesystem1.81-dev libboost-program-options1.81-dev \
  libssl-dev libyaml-cpp-dev liblua5.4-dev libsoci-dev libpq-dev libsqlite3-dev zlib1g-dev \
  libspdlog-dev libfmt-dev catch2 libcpp-jwt-dev nlohmann-json3-dev libhiredis-dev libxapian-dev \
  postgresql redis-server curl wrk tzdata

# root runs apt directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps configure build run test bench clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: all Debian packages present"; fi

configure: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/bin/switchboard serve --config $(CONFIG)

# Every test, on SQLite and on a throw-away PostgreSQL that the script starts and removes.
test: build
	scripts/with-services.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2

bench: build
	scripts/bench.sh

clean:
	rm -rf $(BUILD_DIR)
