# Caiji: `make run` and `make test` are the two commands a newcomer needs.
# npm ci is run by scripts/deps.sh only (wails.json has no frontend:install),
# so it happens once per package-lock change, not on every build.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VERSION ?= 0.1.0
COMMIT  := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE    := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
PKG     := caiji/backend/buildinfo
LDFLAGS := -X $(PKG).Version=$(VERSION) -X $(PKG).Commit=$(COMMIT) -X $(PKG).Date=$(DATE)
WAILS   := $(shell go env GOPATH)/bin/wails
BIN     := build/bin
TEST_OUT ?= $(CURDIR)/test-results
export WEBKIT_DISABLE_DMABUF_RENDERER := 1

.PHONY: help deps deps-test run build dev-bin dist test test-go test-frontend test-e2e check bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## install what building needs (apt as root, Wails CLI, npm ci)
	@scripts/deps.sh build

run: build ## build and start the app (demo mode unless config.json says otherwise)
	@scripts/run.sh $(ARGS)

build: deps ## the Linux production binary at build/bin/caiji
	$(WAILS) build -trimpath -ldflags "$(LDFLAGS)" -o caiji
	@ls -la $(BIN)/caiji

# Wails dev build: serves the UI and real bindings to a browser (E2E).
# Never ship it: its dev server accepts any origin.
dev-bin: build
	go build -tags dev,webkit2_41 -ldflags "$(LDFLAGS)" -o $(BIN)/caiji-dev .

dist: build ## Linux binary + Windows exe + Windows NSIS installer
	@scripts/deps.sh dist
	CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc $(WAILS) build -s -trimpath -platform windows/amd64 -nsis -ldflags "$(LDFLAGS)" -o caiji.exe
	@ls -la $(BIN)/caiji $(BIN)/caiji.exe $(BIN)/caiji-amd64-installer.exe

# Prerequisites, not recursive make: the phony build then runs once.
test: deps-test check test-go test-frontend test-e2e ## everything: Go, frontend, E2E in Chromium, desktop smoke under Xvfb
	@echo "make test: 全部通过"

deps-test:
	@scripts/deps.sh test

check: dev-bin ## gofmt, go vet, vue-tsc
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/*')); \
	  if [ -n "$$out" ]; then echo "gofmt 需要格式化：$$out"; exit 1; fi
	go vet -tags webkit2_41 ./...
	cd frontend && npm run --silent typecheck

test-go: dev-bin ## Go unit and integration tests with the race detector
	go test -race -count=1 -tags webkit2_41 ./...

test-frontend: ## Vitest unit tests
	cd frontend && npx vitest run

test-e2e: dev-bin ## Playwright-core + Chromium against the dev build; desktop smoke of the production binary
	mkdir -p $(TEST_OUT)
	cd frontend && CAIJI_TEST_OUT=$(TEST_OUT) node --test --test-concurrency=1 tests/e2e/login.e2e.mjs tests/e2e/entry.e2e.mjs tests/e2e/import.e2e.mjs tests/e2e/review.e2e.mjs tests/e2e/sync.e2e.mjs tests/e2e/audit.e2e.mjs tests/e2e/smoke.e2e.mjs

bench: dev-bin ## benchmarks: Go (-bench), then the UI in Chromium (100k-row batch open, grid scroll); prints numbers, asserts nothing
	go test -run '^$$' -bench . -benchmem ./backend/...
	@scripts/deps.sh test
	cd frontend && node tests/bench/open-batch.mjs && node tests/bench/grid-scroll.mjs

clean:
	rm -rf $(BIN) frontend/dist $(TEST_OUT)
