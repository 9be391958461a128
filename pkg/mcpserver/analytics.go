package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/analytics"
)

func init() {
	registerToolset(toolset{
		Name: "analytics",
		Description: "Questions over the deployed warehouse through its semantic layer (metrics, dimensions, the fiscal calendar): browse metrics and dimensions, run structured metric queries compiled for the warehouse's engine, ask in plain English. " +
			"All read-only; the layer is refreshed by every deploy.",
		Tools: []tool{listMetricsTool, listDimensionsTool, describeMetricTool, queryMetricsTool},
	})
}

func (e *env) analytics() (*analytics.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Analytics, nil
}

type metricList struct {
	Metrics []analytics.MetricInfo `json:"metrics"`
}

var listMetricsTool = newTool(&mcp.Tool{
	Name: "list_metrics",
	Description: "List the semantic layer's metrics over the deployed warehouse: name, label, type (simple, ratio, derived, cumulative, hierarchy line), format (money, percent, count) and a one-line definition. " +
		"Hierarchy lines (revenue, gross_profit, gross_margin_pct …) are metrics with the hierarchy's signs.",
	Annotations: readOnlyAnnotations("List metrics"),
}, func(ctx context.Context, e *env, in analytics.MetricsInput) (*metricList, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	ms, err := s.Metrics(in)
	if err != nil {
		return nil, err
	}
	return &metricList{Metrics: ms}, nil
})

type dimensionList struct {
	Dimensions []analytics.DimensionInfo `json:"dimensions"`
	// Grains are the time grains every fact's date can be grouped by.
	Grains []string `json:"grains"`
}

var listDimensionsTool = newTool(&mcp.Tool{
	Name:        "list_dimensions",
	Description: "List the semantic layer's dimensions (to group and filter metrics by) with how many member values each has and a sample, and the time grains (day, month, fiscal_quarter, fiscal_year, year).",
	Annotations: readOnlyAnnotations("List dimensions"),
}, func(ctx context.Context, e *env, in analytics.DimensionsInput) (*dimensionList, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	ds, err := s.Dimensions(in)
	if err != nil {
		return nil, err
	}
	return &dimensionList{Dimensions: ds, Grains: []string{"day", "month", "fiscal_quarter", "fiscal_year", "year"}}, nil
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
		"where is a filter expression over dimension names (never SQL); period is a phrase such as FY2025, Q3 FY2025, last quarter, ytd; against adds prior_period or prior_year with the change.",
	Annotations: readOnlyAnnotations("Query metrics"),
}, func(ctx context.Context, e *env, in analytics.QueryArgs) (*analytics.QueryResult, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.QueryMetrics(ctx, in)
})
