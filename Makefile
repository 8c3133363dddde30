# chronoterm — the two commands a new machine needs: `make demo` and `make test`.
# Each target first makes sure the system libraries are there, installing them with
# apt-get when it can (root or sudo), or printing the one line to run when it cannot.

SWIFT ?= swift
# poppler-utils: pdftotext, which shows a chart's PDF documents as text.
APT_PACKAGES := libncursesw5-dev libcurl4-openssl-dev libsqlite3-dev tmux poppler-utils
# The tests also need OpenSSH: they start an sshd of their own (own config, port and host
# key; the machine's sshd is never touched) and connect with ssh as a person would.
# The export's tests start a PostgreSQL server of their own (own folder and socket; the
# machine's cluster is never touched) and check the warehouse with psql.
TEST_PACKAGES := $(APT_PACKAGES) openssh-server openssh-client python3 python3-venv postgresql
# The MCP tests drive `chronoterm mcp` with the official Python MCP SDK, from PyPI, in a
# private environment inside the build folder (never the system's Python).
TEST_VENV := .build/test-venv
MCP_SDK := mcp==2.3.0
# The export's tests read the snapshots and the change stream with DuckDB, from PyPI.
DUCKDB := duckdb==1.4.2
BIN := .build/debug/chronoterm
RELEASE_BIN := .build/release/chronoterm
# One release build for demo, install and bench: the same build plan each time, so going
# from one to another compiles nothing (a build of one product, then of another, had
# SwiftPM compile the executable's module again).
# Linked for a shared host, where each person's console is a process (#28, BENCHMARKS.md):
# the Swift runtime and Foundation linked in (no relocations of their data in every
# process); lld with packed relative relocations; no symbol table exported for a loader
# to search; and every function in a section of its own, laid out so the code an idle
# console runs sits together (Scripts/console.order, made by Scripts/console-order.sh).
# Together: one console's resident memory 54 -> 37 MiB.
RELEASE_FLAGS := --static-swift-stdlib -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
  -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
  -Xlinker --symbol-ordering-file=$(CURDIR)/Scripts/console.order -Xlinker --no-warn-symbol-ordering
RELEASE_BUILD := $(SWIFT) build -c release $(RELEASE_FLAGS)

PREFIX ?= /usr/local

.PHONY: demo test lint format bench build release sandbox deps test-deps conformance clean install man

define INSTALL_MISSING
@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "chronoterm needs:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Install them with:  sudo apt-get install$$missing"; exit 1; fi; \
	fi
endef

deps: PACKAGES = $(APT_PACKAGES)
deps:
	$(INSTALL_MISSING)
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is needed: see https://www.swift.org/install/linux/ (or put /opt/swift/usr/bin on PATH)"; exit 1; }

test-deps: PACKAGES = $(TEST_PACKAGES)
test-deps: deps
	$(INSTALL_MISSING)
	@test -x $(TEST_VENV)/bin/python || python3 -m venv $(TEST_VENV)
	@$(TEST_VENV)/bin/python -c "import mcp" 2>/dev/null || $(TEST_VENV)/bin/pip install --quiet --disable-pip-version-check "$(MCP_SDK)"
	@$(TEST_VENV)/bin/python -c "import duckdb" 2>/dev/null || $(TEST_VENV)/bin/pip install --quiet --disable-pip-version-check "$(DUCKDB)"

build: deps
	$(SWIFT) build --product chronoterm

# The release build, linked as demo, install and bench link it (RELEASE_FLAGS).
release: deps
	$(RELEASE_BUILD)

# The console on an invented practice, served in-process: no account, nothing kept.
demo: deps
	$(RELEASE_BUILD)
	$(RELEASE_BIN) demo

# The release build in $(PREFIX)/bin, where the SSH keys `chronoterm people` writes can
# point for good (a build folder's copy moves with every build), and the man page.
install: deps
	$(RELEASE_BUILD)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/chronoterm
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 docs/man/chronoterm.1 $(DESTDIR)$(PREFIX)/share/man/man1/chronoterm.1
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/chronoterm and its man page"

sandbox: build
	$(BIN) sandbox

# The formatter's check, the whole suite, then a check that it left nothing running
# (a tmux server, a console, a daemon): a leftover fails the run even when every test
# passed. `make format` rewrites the sources the way the check wants them.
test: test-deps lint
	$(SWIFT) build --build-tests
	@status=0; $(SWIFT) test --skip-build || status=$$?; Tests/leftovers.sh || status=1; exit $$status

lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests

format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests

# Runs DrChrono's conformance checks against a fresh sandbox (needs ../shared and
# `pip install pyyaml jsonschema requests`). Not part of `make test`: tests never
# depend on ../shared.
conformance: build
	@$(BIN) sandbox --port 0 --limits on > .conformance-sandbox.log 2>&1 & pid=$$!; \
	for i in $$(seq 1 100); do grep -q "listening on" .conformance-sandbox.log && break; sleep 0.1; done; \
	url=$$(grep -o 'http://127.0.0.1:[0-9]*' .conformance-sandbox.log | head -1); \
	python3 ../shared/tools/drchrono-conformance --base $$url --writes --jobs --limits; rc=$$?; \
	kill $$pid; rm -f .conformance-sandbox.log; exit $$rc

# Speed and memory, measured on the release build; results go in BENCHMARKS.md.
bench: deps
	$(RELEASE_BUILD)
	Benchmarks/sandbox-startup.sh $(RELEASE_BIN) 3
	.build/release/chronoterm-bench practice
	.build/release/chronoterm-bench large
	.build/release/chronoterm-bench export large
	.build/release/chronoterm-bench consoles practice 6 25
	.build/release/chronoterm-bench consoles large 6

clean:
	rm -rf .build

# The man page, from the commands' own help (swift-argument-parser's generate-manual).
man:
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	cp .build/plugins/GenerateManual/outputs/chronoterm/chronoterm.1 docs/man/chronoterm.1
