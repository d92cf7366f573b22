# One command to run the portal, one to run the tests (see README.md).
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
# Idle workers poll the queue at least every 0.5 s (huey's default backs off to 10 s): a
# saved setting reaches FreeSWITCH within a second (bench/notify_delay.py measures it).
WORKER_OPTIONS := --workers 2 --worker-type thread --delay 0.1 --max-delay 0.5
# The extension status board's live stream (status_server.py) in `make run`.
STATUS_PORT ?= 5001
# axe-core for the e2e accessibility checks, pinned in package-lock.json.
AXE := node_modules/axe-core/axe.min.js

.PHONY: setup catalogs run worker status test migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/pip || python3 -m venv --clear $(VENV)  # a half-made venv is made again
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

catalogs: $(STAMP)
	$(FLASK) translate compile

setup: $(STAMP) catalogs

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	@# Both servers in the background, so that the traps run as soon as a signal comes
	@# (bash defers a trap until its foreground command ends). Ctrl-C also reaches the
	@# worker (same process group), which then finishes its jobs: don't signal it twice.
	@# Never `trap 'kill 0' ... TERM`: kill 0 signals this shell too, whose TERM trap
	@# sends it again, and again, until bash overflows its stack (a segfault).
	@# The status server (status_server.py: event listener + the board's live stream) on
	@# its own port; the pages open the stream there (STATUS_STREAM_URL). Ctrl-C reaches it too.
	@$(BIN)/huey_consumer worker.huey $(WORKER_OPTIONS) & worker=$$!; \
	  $(BIN)/python status_server.py --port $(STATUS_PORT) & status=$$!; \
	  STATUS_STREAM_URL=$${STATUS_STREAM_URL:-http://127.0.0.1:$(STATUS_PORT)/extensions/status/stream} \
	    $(FLASK) run --host 127.0.0.1 --port 5000 & web=$$!; \
	  trap 'stopping=1; kill $$web 2>/dev/null' INT; \
	  trap 'stopping=1; kill $$web $$worker $$status 2>/dev/null' TERM; \
	  trap '[ -n "$$stopping" ] || kill -INT $$worker 2>/dev/null; kill $$status 2>/dev/null; wait' EXIT; \
	  wait $$web || [ -n "$$stopping" ]

worker: setup
	$(BIN)/huey_consumer worker.huey $(WORKER_OPTIONS)

status: setup
	$(BIN)/python status_server.py --port $(STATUS_PORT)

test: setup $(AXE)
	$(BIN)/pytest $(PYTEST_ARGS)

migrate: setup
	$(FLASK) db migrate -m "$(m)"

clean:
	rm -rf $(VENV) .pytest_cache node_modules test-artifacts
