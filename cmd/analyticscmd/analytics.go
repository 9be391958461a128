// Package analyticscmd implements `databridge analytics`: the semantic
// layer over the deployed warehouse (refresh, validate, browse) and
// structured queries over it.
package analyticscmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/analytics"
)

// NewCmd builds `databridge analytics`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "analytics",
		Short: "The semantic layer over the deployed warehouse: metrics, dimensions, queries",
		Long: `The semantic layer says what every number of the deployed warehouse means:
semantic models over the facts and dimensions, metrics (a metric per measure,
a metric per line of every bound hierarchy: revenue, gross_profit,
gross_margin_pct …) and the fiscal calendar. It is generated after each
deploy and by ` + "`databridge analytics refresh`" + `, kept in
.databridge/semantic/layer.yaml, and stays editable: your names, labels,
synonyms, descriptions and hidden flags survive regeneration.

` + "`databridge analytics query`" + ` compiles a query over it to SQL for any of the
seven engines and runs it on the warehouse (read-only); ` + "`databridge query`" + `
asks the same in plain English.`,
	}
	cmd.AddCommand(newRefreshCmd(f), newValidateCmd(f), newMetricsCmd(f), newDimensionsCmd(f), newDescribeCmd(f), newQueryCmd(f), newBudgetCmd(f), newVarianceCmd(f), newAnomaliesCmd(f), newTrendCmd(f), newForecastCmd(f))
	return cmd
}

func newRefreshCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "refresh",
		Short: "Regenerate the semantic layer from the deployed warehouse, keeping your edits",
		Long: `Regenerate .databridge/semantic/layer.yaml from the approved model, the
deployed design and the bound hierarchies; read the fiscal calendar from the
warehouse's periods table and the member values the question parser matches.
Your edits of the previous layer (names, labels, synonyms, descriptions,
hidden flags, added metrics) are merged into the new one. The deploy runs
the same refresh after it commits.`,
		Example: "  databridge analytics refresh\n  databridge analytics refresh --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Analytics.Refresh(cmd.Context())
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			PrintRefresh(f.IO.Out, r)
			return nil
		},
	}
}

// PrintRefresh renders a refresh's summary.
func PrintRefresh(w io.Writer, r *analytics.RefreshResult) {
	fmt.Fprintf(w, "semantic layer: %d models, %d metrics, %d dimensions, %d member values (%s)\n", r.Models, r.Metrics, r.Dimensions, r.Members, r.Dialect)
	fmt.Fprintf(w, "fiscal calendar: %s — %s\n", r.Calendar, r.CalendarSource)
	if r.Currency != nil && r.Currency.Reporting != "" {
		if r.Currency.Rates != nil {
			fmt.Fprintf(w, "currency: amounts converted to %s with %s.%s\n", r.Currency.Reporting, r.Currency.Rates.Table, r.Currency.Rates.RateColumn)
		} else {
			fmt.Fprintf(w, "currency: amounts in several currencies, shown per currency (no rates table)\n")
		}
	}
	for _, k := range r.Kept {
		fmt.Fprintf(w, "kept your edit: %s\n", k)
	}
	for _, k := range r.Dropped {
		fmt.Fprintf(w, "dropped (no longer in the warehouse): %s\n", k)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintf(w, "wrote %s\n", r.Path)
}

func newValidateCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the semantic layer against the warehouse (exit 3 on errors)",
		Long: `Check .databridge/semantic/layer.yaml: its structure, every model's table
and columns, the hierarchy mappings and the rates table in the warehouse, and
that every metric compiles and runs. Exit code 3 when something is wrong.`,
		Example: "  databridge analytics validate\n  databridge analytics validate --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Analytics.Validate(cmd.Context())
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				for _, p := range r.Errors {
					fmt.Fprintf(f.IO.Out, "%s %s: %s\n", f.IO.FailIcon(), p.Object, p.Message)
				}
				for _, p := range r.Warnings {
					fmt.Fprintf(f.IO.Out, "warning: %s: %s\n", p.Object, p.Message)
				}
				if r.OK {
					fmt.Fprintf(f.IO.Out, "%s semantic layer OK: %d models, %d metrics checked against the warehouse\n", f.IO.SuccessIcon(), r.Models, r.Metrics)
				}
			}
			if !r.OK {
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("the semantic layer has %d error(s)", len(r.Errors))}
			}
			return nil
		},
	}
}

func newMetricsCmd(f *cmdutil.Factory) *cobra.Command {
	var in analytics.MetricsInput
	cmd := &cobra.Command{
		Use:     "metrics [--search TEXT] [--all]",
		Short:   "List the layer's metrics",
		Example: "  databridge analytics metrics\n  databridge analytics metrics --search margin",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			ms, err := svc.Analytics.Metrics(in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(ms)
			}
			t := cmdutil.NewTable(f.IO, "METRIC", "LABEL", "TYPE", "FORMAT", "DEFINITION")
			for _, m := range ms.Metrics {
				t.Row(m.Name, m.Label, m.Type, m.Format, m.Definition)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Search, "search", "", "keep metrics whose name, label, synonyms or description contain this")
	cmd.Flags().BoolVar(&in.All, "all", false, "list hidden metrics too")
	return cmd
}

func newDimensionsCmd(f *cmdutil.Factory) *cobra.Command {
	var in analytics.DimensionsInput
	cmd := &cobra.Command{
		Use:     "dimensions [--search TEXT] [--all]",
		Short:   "List the layer's dimensions (and time grains)",
		Example: "  databridge analytics dimensions\n  databridge analytics dimensions --search region",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			ds, err := svc.Analytics.Dimensions(in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(ds)
			}
			t := cmdutil.NewTable(f.IO, "DIMENSION", "MODEL", "TYPE", "MEMBERS", "SAMPLE")
			for _, x := range ds.Dimensions {
				t.Row(x.Name, x.Model, x.Type, x.Members, strings.Join(x.Sample, ", "))
			}
			t.Render(f.IO.Out)
			var gs []string
			for _, g := range ds.Grains {
				gs = append(gs, string(g))
			}
			fmt.Fprintf(f.IO.Out, "time grains of every fact's date: %s\n", strings.Join(gs, ", "))
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Search, "search", "", "keep dimensions whose name, label or synonyms contain this")
	cmd.Flags().BoolVar(&in.All, "all", false, "list hidden dimensions too")
	return cmd
}

func newDescribeCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "describe NAME",
		Short:   "Explain a metric, dimension or semantic model",
		Example: "  databridge analytics describe gross_margin_pct\n  databridge analytics describe region",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			d, err := svc.Analytics.Describe(analytics.DescribeInput{Name: args[0]})
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(d)
			}
			w := f.IO.Out
			switch d.Kind {
			case "metric":
				m := d.Metric
				fmt.Fprintf(w, "metric %s (%s): %s\n", m.Name, m.Type, m.Label)
				if m.Description != "" {
					fmt.Fprintf(w, "  %s\n", m.Description)
				}
				fmt.Fprintf(w, "  definition: %s\n", m.Definition)
				if m.Format != "" {
					fmt.Fprintf(w, "  format: %s\n", m.Format)
				}
				if len(m.Synonyms) > 0 {
					fmt.Fprintf(w, "  synonyms: %s\n", strings.Join(m.Synonyms, ", "))
				}
				if m.FavourableWhen != "" {
					fmt.Fprintf(w, "  favourable when it %ss\n", m.FavourableWhen)
				}
				fmt.Fprintf(w, "  by: %s\n", strings.Join(d.ByDimensions, ", "))
				var gs []string
				for _, g := range d.Grains {
					gs = append(gs, string(g))
				}
				fmt.Fprintf(w, "  time grains: %s\n", strings.Join(gs, ", "))
				fmt.Fprintf(w, "\n%s\n", d.SQL)
			case "dimension":
				x := d.Dimension
				fmt.Fprintf(w, "dimension %s (%s) of %s: column %s\n", x.Name, x.Type, x.Model, x.Column)
				if x.Members > 0 {
					fmt.Fprintf(w, "  %d members, e.g. %s\n", x.Members, strings.Join(x.Sample, ", "))
				}
			case "model":
				m := d.Model
				fmt.Fprintf(w, "semantic model %s (%s): table %s\n", m.Name, m.Role, m.Table)
				if m.TimeColumn != "" {
					fmt.Fprintf(w, "  time: %s\n", m.TimeColumn)
				}
				for _, e := range m.Entities {
					fmt.Fprintf(w, "  entity %s (%s): %s\n", e.Name, e.Type, e.Column)
				}
				for _, x := range m.Measures {
					fmt.Fprintf(w, "  measure %s: %s(%s)\n", x.Name, x.Agg, x.Column)
				}
				for _, x := range m.Dimensions {
					h := ""
					if x.Hidden {
						h = " (hidden)"
					}
					fmt.Fprintf(w, "  dimension %s: %s%s\n", x.Name, x.Column, h)
				}
			}
			return nil
		},
	}
}

func newQueryCmd(f *cmdutil.Factory) *cobra.Command {
	var in analytics.QueryArgs
	var metrics, by, order []string
	cmd := &cobra.Command{
		Use:   "query --metrics M[,M…] [--by DIM|GRAIN,…] [--where FILTER] [--period P] [--against prior_period|prior_year|previous|budget] [--scenario S] [--sql] [--dialect D]",
		Short: "Query metrics by dimensions and time grains; print the answer or the SQL for any engine",
		Long: `Compile a query over the semantic layer and run it on the warehouse through a
read-only session. Metrics of different facts are aggregated to the common
grain before they are joined (no fan-out); joins follow many-to-one paths
only; empty periods come from the fiscal calendar. --where is a filter
expression over dimension names, never SQL. Amounts in several currencies are
converted to the reporting currency with the layer's rates table, or grouped
by currency when there is none.

Grains for --by: day, week (ISO, by its Monday), month, fiscal_quarter (quarter), fiscal_year, year,
and the recurring month_of_year (1-12) and day_of_week (ISO, 1 Monday to 7 Sunday).
--period: FY2025, Q3 FY2025, 2025, March 2025, 2025-03, last quarter,
this year, ytd, qtd, mtd, last 6 months, 3 months ago, the year before last,
or FROM..TO dates (TO exclusive).`,
		Example: `  databridge analytics query --metrics revenue,gross_profit --by fiscal_quarter --period FY2025
  databridge analytics query --metrics revenue --by fiscal_year --against prior_year
  databridge analytics query --metrics revenue,gross_profit --by month --period FY2026 --against budget
  databridge analytics query --metrics revenue --by region --where "segment = 'Enterprise'" --order-by -revenue --limit 5
  databridge analytics query --metrics gross_margin_pct --by fiscal_year --sql --dialect snowflake`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(metrics) == 0 {
				return cmdutil.Usagef("--metrics is required (see `databridge analytics metrics`)")
			}
			in.Metrics, in.By, in.OrderBy = metrics, by, order
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Analytics.QueryMetrics(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			if in.SQLOnly || !r.Ran {
				fmt.Fprintln(f.IO.Out, r.SQL)
				return nil
			}
			PrintResult(f, r.Columns, r.Rows)
			for _, n := range r.Notes {
				fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&metrics, "metrics", nil, "metric names, comma-separated")
	fl.StringSliceVar(&by, "by", nil, "dimensions or time grains to group by, comma-separated")
	fl.StringVar(&in.Where, "where", "", "filter expression over dimension names")
	fl.StringVar(&in.Period, "period", "", "time span (FY2025, Q3 FY2025, last quarter, ytd, FROM..TO …)")
	fl.StringVar(&in.Dated, "dated", "", "another date of the facts that the period and the time grains read (a time dimension: reported_date, ship_date) instead of the one they are dated by")
	fl.StringVar(&in.Against, "against", "", "compare with prior_period, prior_year, previous (each month or quarter against the one before), budget (budget:NAME) or forecast:NAME")
	fl.StringVar(&in.Scenario, "scenario", "", "compute the metrics over a scenario instead of the actuals (budget, budget:NAME, forecast:NAME)")
	fl.BoolVar(&in.Share, "share", false, "add each metric's share of the total")
	fl.StringSliceVar(&order, "order-by", nil, "metric or group names; -name for descending")
	fl.IntVar(&in.Limit, "limit", 0, "at most this many rows")
	fl.StringVar(&in.AsOf, "as-of", "", "date relative periods resolve against (YYYY-MM-DD, default today)")
	fl.StringVar(&in.Dialect, "dialect", "", "print the SQL for this engine (not run)")
	fl.BoolVar(&in.SQLOnly, "sql", false, "print the SQL instead of running it")
	return cmd
}

// PrintResult renders an answer's table: numbers right as the engine
// gave them, money and percentages with two decimals.
func PrintResult(f *cmdutil.Factory, cols []analytics.ResultColumn, rows [][]any) {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = strings.ToUpper(c.Name)
	}
	t := cmdutil.NewTable(f.IO, h...)
	for _, r := range rows {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = v
			if x, ok := v.(decimal.Decimal); ok && i < len(cols) && (cols[i].Format == "money" || cols[i].Format == "percent") {
				cells[i] = x.StringFixed(2)
			}
		}
		t.Row(cells...)
	}
	t.Render(f.IO.Out)
	if len(rows) == 0 {
		fmt.Fprintln(f.IO.Out, "(no rows)")
	}
}
