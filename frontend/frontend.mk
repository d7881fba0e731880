# Chat app targets. Included by the top-level Makefile.
CHAT_PORT ?= 8080
BENCH_ARGS ?= --levels 50,200,500
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

TEST_DEPS += chromium

.PHONY: chromium chat-local bench-frontend

# Debian's Chromium for the Playwright tests (Playwright never downloads a browser here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing Debian chromium"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

# The simulator and the app on 127.0.0.1; prints the URL and runs until Ctrl-C (no IAP on loopback).
chat-local: venv
	IAP_REQUIRED=false $(PY) -m frontend.local --port $(CHAT_PORT)

# Concurrent chats through the app's queued API versus straight at the simulator.
bench-frontend: venv
	IAP_REQUIRED=false $(PY) -m frontend.bench $(BENCH_ARGS)
