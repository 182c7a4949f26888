# The two quick-start commands: `make run` and `make test`. Each sets up what it needs.
SWIFT ?= swift
BIN := .build/release/labengine

.PHONY: setup build run test bench clean

# Debian's Lua 5.4 headers and pkg-config, installed only when missing.
setup:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists lua5.4; then \
		echo "installing liblua5.4-dev (needs root and apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblua5.4-dev pkg-config; \
	fi

build: setup
	$(SWIFT) build -c release --product labengine

run: build
	$(BIN) list

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build

bench: setup
	$(SWIFT) build -c release --product labengine-bench
	.build/release/labengine-bench
