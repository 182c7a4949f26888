# The two quick-start commands: `make run` and `make test`. Each sets up what it needs.
SWIFT ?= swift
BIN := .build/release/labengine

.PHONY: setup setup-browser build run test unit-test lab-test bench clean

# Debian's Lua 5.4 headers, jemalloc, OpenSSL's libcrypto (hashes and SigV4's HMACs) and
# pkg-config, and the AWS CLI and boto3 that the real-client tests drive; each installed
# only when missing.
setup:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists lua5.4 || ! pkg-config --exists jemalloc || ! pkg-config --exists libcrypto; then \
		echo "installing liblua5.4-dev, libjemalloc-dev and libssl-dev (needs root and apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblua5.4-dev libjemalloc-dev libssl-dev pkg-config; \
	fi
	@if ! command -v aws >/dev/null 2>&1 || ! python3 -c "import boto3" >/dev/null 2>&1; then \
		echo "installing the AWS CLI and boto3 from PyPI"; \
		python3 -m pip install -q awscli boto3; \
	fi

# Debian's Chromium, which renders the live scoreboard in the browser test (tests only).
setup-browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing chromium for the scoreboard's browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

build: setup
	$(SWIFT) build -c release --product labengine

# The main job: lab 1 on its reference solution, reaching 300 points.
run: build
	$(BIN) run lab1 --solution

# Every module's tests (debug build), then every lab's self-test (release build).
test: unit-test lab-test

unit-test: setup setup-browser
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

lab-test: build
	$(BIN) test lab1 lab2 lab3

bench: setup
	$(SWIFT) build -c release --product labengine-bench
	$(SWIFT) build -c release --product labengine
	.build/release/labengine-bench labs
	$(BIN) run wire --labs Tests/LabengineCLITests/Fixtures/labs --minutes 1 --exec 'python3 Benchmarks/wire/getitem.py' | grep 'requests/s'
	@for lab in lab1 lab2 lab3; do \
		if [ -x /usr/bin/time ]; then \
			/usr/bin/time -f "grade $$lab: %e s wall, %M KB peak memory" $(BIN) grade $$lab --solution > /dev/null; \
		else \
			echo "grade $$lab:"; bash -c "time $(BIN) grade $$lab --solution > /dev/null"; \
		fi; \
	done

clean:
	rm -rf .build
