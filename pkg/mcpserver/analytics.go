package mcpserver

import (
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/analytics"
)

func init() {
	registerToolset(toolset{
		Name: "analytics",
		Description: "Questions over the deployed warehouse through its semantic layer (metrics, dimensions, the fiscal calendar): browse metrics and dimensions, run structured metric queries compiled for the warehouse's engine, ask in plain English. " +
			"All read-only; the layer is refreshed by every deploy.",
		Tools: []tool{listMetricsTool, listDimensionsTool, describeMetricTool, queryMetricsTool, askQuestionTool, workflowQueryTool, validateLayerTool},
	})
}

func (e *env) analytics() (*analytics.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Analytics, nil
}

var listMetricsTool = newTool(&mcp.Tool{
	Name: "list_metrics",
	Description: "List the semantic layer's metrics over the deployed warehouse: name, label, type (simple, ratio, derived, cumulative, hierarchy line), format (money, percent, count) and a one-line definition. " +
		"Hierarchy lines (revenue, gross_profit, gross_margin_pct …) are metrics with the hierarchy's signs.",
	Annotations: readOnlyAnnotations("List metrics"),
}, func(ctx context.Context, e *env, in analytics.MetricsInput) (*analytics.MetricList, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.Metrics(in)
})

var listDimensionsTool = newTool(&mcp.Tool{
	Name:        "list_dimensions",
	Description: "List the semantic layer's dimensions (to group and filter metrics by) with how many member values each has and a sample, and the time grains (day, week, month, fiscal_quarter, fiscal_year, year; recurring: month_of_year, day_of_week).",
	Annotations: readOnlyAnnotations("List dimensions"),
}, func(ctx context.Context, e *env, in analytics.DimensionsInput) (*analytics.DimensionList, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.Dimensions(in)
})

var describeMetricTool = newTool(&mcp.Tool{
	Name:        "describe_metric",
	Description: "Explain a metric (definition, format, the dimensions and time grains it can be grouped by, its SQL), a dimension (members) or a semantic model (table, entities, measures, dimensions).",
	Annotations: readOnlyAnnotations("Describe a metric"),
}, func(ctx context.Context, e *env, in analytics.DescribeInput) (*analytics.Description, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.Describe(in)
})

var queryMetricsTool = newTool(&mcp.Tool{
	Name: "query_metrics",
	Description: "Query metrics by dimensions and time grains over the deployed warehouse (read-only) and return the rows, or only the SQL for any of the seven engines. " +
		"Metrics of different facts are aggregated before they are joined (no fan-out); money is exact, converted to the reporting currency when the layer has rates (else shown per currency). " +
		"where is a filter expression over dimension names (never SQL); period is a phrase such as FY2025, Q3 FY2025, last quarter, ytd; against adds prior_period, prior_year or a budget (budget, budget:NAME, forecast:NAME) with the change; scenario computes the metrics over a budget instead of the actuals.",
	Annotations: readOnlyAnnotations("Query metrics"),
}, func(ctx context.Context, e *env, in analytics.QueryArgs) (*analytics.QueryResult, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.QueryMetrics(ctx, in)
})

type askArgs struct {
	Question string `json:"question" jsonschema:"The question in plain English, e.g. gross profit by quarter for FY2025 vs prior year."`
	AsOf     string `json:"as_of,omitempty" jsonschema:"Date relative phrases (last quarter, YTD) resolve against, YYYY-MM-DD (default: today)."`
	Dialect  string `json:"dialect,omitempty" jsonschema:"Compile for this engine instead of the warehouse's and do not run."`
	SQLOnly  bool   `json:"sql_only,omitempty" jsonschema:"Only compile: return the SQL without running it."`
}

func (a askArgs) input() (analytics.AskInput, error) {
	in := analytics.AskInput{Question: a.Question, Dialect: a.Dialect, SQLOnly: a.SQLOnly}
	if strings.TrimSpace(a.AsOf) != "" {
		t, err := analytics.ParseAsOf(a.AsOf)
		if err != nil {
			return in, fmt.Errorf("as_of %w", err)
		}
		in.AsOf = t
	}
	return in, nil
}

var askQuestionTool = newTool(&mcp.Tool{
	Name: "ask_question",
	Description: "Answer a plain-English question over the deployed warehouse, offline and deterministically: the question is mapped onto the semantic layer's metrics, dimensions, members (fuzzy) and fiscal calendar, compiled and run read-only. " +
		"Returns question, answered, interpretation (what was understood, in words — show it with the numbers), sql, columns, rows, chart, notes. " +
		"answered=false means the question could not be mapped confidently: nothing was guessed; see reason and suggestions, or build a structured query with query_metrics.",
	Annotations: readOnlyAnnotations("Ask a question"),
}, func(ctx context.Context, e *env, in askArgs) (*analytics.Answer, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	a, err := in.input()
	if err != nil {
		return nil, err
	}
	ans, err := s.Ask(ctx, a)
	if err == nil && !ans.Answered {
		// As the CLI's exit 3: the answer (reason, suggestions) with a
		// tool error, so a caller cannot mistake it for numbers.
		return ans, checksFailed("not answered: %s", ans.Reason)
	}
	return ans, err
})

type workflowQueryResult struct {
	Answer *analytics.Answer `json:"answer"`
	// Metrics and Dimensions are the layer's names, to build a structured
	// query from when the question was not answered.
	Metrics    []string `json:"metrics,omitempty"`
	Dimensions []string `json:"dimensions,omitempty"`
	NextSteps  []string `json:"next_steps"`
}

var workflowQueryTool = newTool(&mcp.Tool{
	Name:        "workflow_query_deployed_warehouse",
	Description: "Query the deployed warehouse in natural language, end to end: ask the question; when it is answered, return the answer with its interpretation; when it is not, return why, the suggestions, and the metric and dimension names to call query_metrics with.",
	Annotations: readOnlyAnnotations("Query the deployed warehouse"),
}, func(ctx context.Context, e *env, in askArgs) (*workflowQueryResult, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	a, err := in.input()
	if err != nil {
		return nil, err
	}
	ans, err := s.Ask(ctx, a)
	if err != nil {
		return nil, err
	}
	out := &workflowQueryResult{Answer: ans}
	if ans.Answered {
		out.NextSteps = []string{"show the interpretation with the numbers", "refine with query_metrics (same metrics, other dimensions, periods or comparisons)"}
		return out, nil
	}
	ms, err := s.Metrics(analytics.MetricsInput{})
	if err != nil {
		return nil, err
	}
	for _, m := range ms.Metrics {
		out.Metrics = append(out.Metrics, m.Name)
	}
	ds, err := s.Dimensions(analytics.DimensionsInput{})
	if err != nil {
		return nil, err
	}
	for _, d := range ds.Dimensions {
		out.Dimensions = append(out.Dimensions, d.Name)
	}
	out.NextSteps = []string{"rephrase with the names listed (or a suggestion)", "or call query_metrics with metrics and by from these lists", "describe_metric explains a metric and the dimensions it can be grouped by"}
	return out, nil
})

var validateLayerTool = newTool(&mcp.Tool{
	Name:        "validate_semantic_layer",
	Description: "Check the semantic layer against the warehouse (read-only): its structure, every model's table and columns, the hierarchy mappings and rates, that every metric compiles and runs. A tool error with the result when something is wrong.",
	Annotations: readOnlyAnnotations("Validate the semantic layer"),
}, func(ctx context.Context, e *env, in struct{}) (*analytics.ValidateResult, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	r, err := s.Validate(ctx)
	if err == nil && !r.OK {
		return r, checksFailed("the semantic layer has %d error(s)", len(r.Errors))
	}
	return r, err
})
