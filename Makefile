# databridge build and test entry points. cgo is required (embedded DuckDB).
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X github.com/databridge/databridge/cmd.version=$(VERSION) -X github.com/databridge/databridge/cmd.commit=$(COMMIT) -X github.com/databridge/databridge/cmd.date=$(DATE)
export CGO_ENABLED := 1

.PHONY: build test test-integration lint bench bench-peers eval eval-nl demo fuzz clean
.PHONY: test-spark

## build: the databridge binary in bin/
build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/databridge .

## test: every test; engine tests skip with a reason unless their servers are set up. Then the dbt-spark build, which opens a Spark of its own (embedded Derby, one JVM at a time), after the other Spark tests, not beside them
test:
	$(GO) test -count=1 -timeout 30m ./...
	DATABRIDGE_TEST_DBT_SPARK=1 $(GO) test -count=1 -timeout 20m -run 'Spark' ./pkg/dbt/

## test-integration: start PostgreSQL/MariaDB/Redis and the Python oracles, then run all tests with every engine required (what CI runs)
test-integration:
	bash .ci/run

## test-spark: the databricks-dialect tests on Spark with Delta at full size (every pipeline seed 1..12, a failure at every deploy statement); needs the Spark venv (.ci/run makes .venv-spark and .spark-ivy) or a runner at DATABRIDGE_TEST_SPARK_URL
SPARK_VENV ?= $(CURDIR)/.venv-spark
test-spark:
	DATABRIDGE_TEST_SPARK_VENV=$${DATABRIDGE_TEST_SPARK_VENV:-$(SPARK_VENV)} DATABRIDGE_SPARK_FULL=1 DATABRIDGE_REQUIRE_ENGINES=1 \
		$(GO) test -p 1 -count=1 -v -timeout 90m -run 'Spark' ./pkg/testenv/sparkconn/ ./pkg/warehouse/ ./pkg/validate/ ./pkg/deploy/ ./pkg/query/
	DATABRIDGE_TEST_SPARK_VENV=$${DATABRIDGE_TEST_SPARK_VENV:-$(SPARK_VENV)} DATABRIDGE_SPARK_FULL=1 DATABRIDGE_REQUIRE_ENGINES=1 DATABRIDGE_TEST_DBT_SPARK=1 \
		$(GO) test -count=1 -v -timeout 60m -run 'Spark' ./pkg/dbt/

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: Go benchmarks on generated data (sizes stated in each benchmark)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

## bench-peers: side-by-side runs against peer tools on the same data (reladiff, datacompy, rapidfuzz, statsforecast in the oracle venv; start the engines with `. .ci/engines.sh`): every TestPeer* test, at full size; the ratios go in the notes and docs
bench-peers:
	DATABRIDGE_BENCH_PEERS=1 $(GO) test -count=1 -v -timeout 120m -run '^TestPeer' ./pkg/... ./cmd/...

## eval: the generalisation test of analyze at full size on seeds never looked at while tuning (1001..): 200 random schemas on DuckDB, 20 on PostgreSQL and MariaDB (start them with `. .ci/engines.sh`), 200 written as CSV files and read through the files connector; figures for docs/analyze.md
EVAL_SEEDS ?= 200
EVAL_ENGINE_SEEDS ?= 20
EVAL_FILES_SEEDS ?= 200
EVAL_FROM ?= 1001
eval:
	DATABRIDGE_EVAL_FROM=$(EVAL_FROM) DATABRIDGE_EVAL_SEEDS=$(EVAL_SEEDS) DATABRIDGE_EVAL_ENGINE_SEEDS=$(EVAL_ENGINE_SEEDS) DATABRIDGE_EVAL_FILES_SEEDS=$(EVAL_FILES_SEEDS) $(GO) test -count=1 -v -timeout 60m -run '^TestGeneralisation$$' ./pkg/semantic/ | grep -Ev '^ +generalise_test.go:[0-9]+:   seed '

## eval-nl: the `databridge query` evaluation: build the finance, retail and saas warehouses from examples/, run every expected SQL of eval/nl/*.yaml, ask every question and score the answers (accuracy, coverage, answers to unanswerable questions; tuned and frozen parts); the table is printed and eval/nl/last-report.txt written. EVAL_NL_STRICT=1 fails when the goals are missed; see docs/query.md
EVAL_NL_STRICT ?=
eval-nl:
	DATABRIDGE_EVAL_NL=1 DATABRIDGE_EVAL_NL_STRICT=$(EVAL_NL_STRICT) $(GO) test -count=1 -v -timeout 30m -run '^TestEval(NL|SQL|NLFiles)$$' ./pkg/analytics/evalnl/

## demo: on the embedded DuckDB default, a project over the example GL CSVs: browse, query, build a P&L from a template, validate the mapping, print the statement, generate the warehouse scripts
DEMO_DIR ?= /tmp/databridge-demo
DB = $(CURDIR)/bin/databridge
demo: build
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	cd $(DEMO_DIR) && $(DB) init && \
	$(DB) connection add src --type files --path $(CURDIR)/examples/finance/data && \
	$(DB) catalog tables -c src && \
	$(DB) sql "SELECT a.account_type, ROUND(SUM(g.amount), 2) AS total FROM gl_transactions g JOIN accounts a USING (account_code) GROUP BY 1 ORDER BY 1" -c src && \
	$(DB) hierarchy new "Acme P&L" --id acme_pl --template standard_pl && \
	$(DB) hierarchy validate acme_pl --against src.gl_transactions.account_code --amount amount > validate.txt; \
	head -2 validate.txt && \
	$(DB) hierarchy publish acme_pl && \
	$(DB) hierarchy rollup acme_pl --source src.gl_transactions --value amount --code-column account_code && \
	$(DB) generate bind acme_pl --source gl_transactions --value amount --code-column account_code --by period && \
	$(DB) generate sql --dialect duckdb && \
	$(DB) generate sql --dialect postgres

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./pkg/hierarchy -run '^$$' -fuzz FuzzParseFormula -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/hierarchy -run '^$$' -fuzz FuzzImportNodesCSV -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/hierarchy -run '^$$' -fuzz FuzzImportMappingsCSV -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/connector/files -run '^$$' -fuzz FuzzReadOnlyGuard -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/dialect/filter -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)

clean:
	rm -rf bin dist
