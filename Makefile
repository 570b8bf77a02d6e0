# CaseVault. `make run` starts the GUI, `make test` runs every test; both
# install what is missing first (scripts/deps.sh).

GO ?= go
BENCHTIME ?= 3x

.PHONY: all deps run build cli test test-short fuzz bench screenshot clean

all: build

deps:
	@scripts/deps.sh

run: deps
	$(GO) run .

build: deps
	$(GO) build -o bin/casevault .
	CGO_ENABLED=0 $(GO) build -o bin/casevault-cli ./cmd/casevault-cli

cli:
	CGO_ENABLED=0 $(GO) build -o bin/casevault-cli ./cmd/casevault-cli

test: deps
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/casevault-cli
	$(GO) test -count=1 -timeout 20m ./...

test-short:
	$(GO) test -short ./...

# Runs each fuzz target for FUZZTIME (default 20s).
FUZZTIME ?= 20s
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

# The import benchmark moves 1 GiB per run and the bundle benchmark 2 GiB:
# they run once per count.
bench: deps
	$(GO) test -run '^$$' -bench . -skip 'BenchmarkImport|BenchmarkBundle' -benchtime $(BENCHTIME) -count 5 -timeout 90m ./... | tee bench.out
	$(GO) test -run '^$$' -bench 'BenchmarkImport|BenchmarkBundle' -benchtime 1x -count 3 -timeout 90m ./casefile | tee -a bench.out
	$(GO) run ./scripts/benchratio < bench.out

screenshot: deps
	scripts/screenshot.sh

clean:
	rm -rf bin bench.out
