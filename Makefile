# databridge build and test entry points. cgo is required (embedded DuckDB).
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X github.com/databridge/databridge/cmd.version=$(VERSION) -X github.com/databridge/databridge/cmd.commit=$(COMMIT) -X github.com/databridge/databridge/cmd.date=$(DATE)
export CGO_ENABLED := 1

.PHONY: build test test-integration lint bench demo clean

## build: the databridge binary in bin/
build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/databridge .

## test: every test; engine tests skip with a reason unless their servers are set up
test:
	$(GO) test -count=1 -timeout 30m ./...

## test-integration: start PostgreSQL/MariaDB/Redis and the Python oracles, then run all tests with every engine required (what CI runs)
test-integration:
	bash .ci/run

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: Go benchmarks on generated data (sizes stated in each benchmark)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

## demo: init a project over the example finance CSVs and query it
demo: build
	rm -rf /tmp/databridge-demo && mkdir -p /tmp/databridge-demo
	cd /tmp/databridge-demo && $(CURDIR)/bin/databridge init && \
	$(CURDIR)/bin/databridge connection add src --type files --path $(CURDIR)/examples/finance/data && \
	$(CURDIR)/bin/databridge catalog tables -c src && \
	$(CURDIR)/bin/databridge sql "SELECT a.account_type, ROUND(SUM(g.amount), 2) AS total FROM gl_transactions g JOIN accounts a USING (account_code) GROUP BY 1 ORDER BY 1" -c src

clean:
	rm -rf bin dist
