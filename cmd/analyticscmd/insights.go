package analyticscmd

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/insights"
	"github.com/databridge/databridge/pkg/report"
)

func newBudgetCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "budget",
		Short: "Budgets and saved forecasts: scenarios the metrics can be computed over",
		Long: `A budget is a scenario: planned amounts by period and by some dimensions of a
fact (e.g. account_code × cost_center_code by month), kept under
.databridge/scenarios/ as the source of truth and loaded into the warehouse
(table SCN_NAME), reloaded after every deploy, rollback and refresh. Every
metric of that fact — each line of the P&L included — can then be computed
over it: --against budget in analytics query and variance, and "vs budget"
in plain-English questions.`,
	}
	cmd.AddCommand(newBudgetImportCmd(f), newBudgetListCmd(f))
	return cmd
}

func newBudgetImportCmd(f *cmdutil.Factory) *cobra.Command {
	var in analytics.ScenarioImport
	cmd := &cobra.Command{
		Use:   "import FILE --name NAME",
		Short: "Import a budget (or forecast) CSV as a scenario",
		Long: `Read a CSV with a period column (period, period_id, month or date: YYYY-MM
or YYYY-MM-DD), an amount column (amount, value, budget) and columns named
like dimensions of the fact (account_code, cost_center_code …). The amounts
are the fact's measure, in its sign convention (--negate when the file's is
the opposite) and in the reporting currency. A file that does not fit is
refused with the reason and nothing is written.`,
		Example: "  databridge analytics budget import budget_fy2026.csv --name budget_fy2026\n  databridge analytics budget import plan.csv --name plan_2027 --negate --replace --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(in.Name) == "" {
				return cmdutil.Usagef("--name is required")
			}
			in.File = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Analytics.ImportScenario(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			sc := r.Scenario
			by := strings.Join(sc.Columns, ", ")
			if sc.LineMapping != "" {
				by = "hierarchy line"
				if len(sc.Columns) > 1 {
					by += ", " + strings.Join(sc.Columns[:len(sc.Columns)-1], ", ")
				}
			}
			fmt.Fprintf(f.IO.Out, "%s %s %s: %d rows, %s … %s, total %s, by %s (beside %s.%s)\n", f.IO.SuccessIcon(), sc.Kind, sc.Name, sc.Rows, sc.From[:7], sc.To[:7], sc.Total, by, sc.Base, sc.Measure)
			if r.Loaded {
				fmt.Fprintf(f.IO.Out, "loaded into the warehouse as %s; kept in %s\n", sc.Table, r.Path)
			}
			for _, n := range r.Notes {
				fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Name, "name", "", "scenario name (lower-case letters, digits, underscores)")
	fl.StringVar(&in.Kind, "kind", "", "budget (default) or forecast")
	fl.StringVar(&in.Base, "base", "", "the fact the amounts stand beside (default: the fact the hierarchies are bound to)")
	fl.StringVar(&in.Measure, "measure", "", "the fact's measure the amounts are (default: the one the hierarchy sums)")
	fl.BoolVar(&in.Negate, "negate", false, "negate the amounts (the file's sign convention is the opposite of the ledger's)")
	fl.BoolVar(&in.Replace, "replace", false, "replace an existing scenario of that name")
	return cmd
}

func newBudgetListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the project's budgets and saved forecasts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			list, err := svc.Analytics.ListScenarios()
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(list)
			}
			all := list.Scenarios
			if len(all) == 0 {
				fmt.Fprintln(f.IO.Out, "no budgets or forecasts yet: databridge analytics budget import FILE --name NAME")
				return nil
			}
			t := cmdutil.NewTable(f.IO, "NAME", "KIND", "FROM", "TO", "ROWS", "TOTAL", "BY")
			for _, sc := range all {
				t.Row(sc.Name, sc.Kind, sc.From[:7], sc.To[:7], sc.Rows, sc.Total, strings.Join(sc.Columns, ", "))
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newVarianceCmd(f *cmdutil.Factory) *cobra.Command {
	var in insights.VarianceArgs
	var html string
	cmd := &cobra.Command{
		Use:   "variance METRIC --against prior_period|prior_year|budget [--period P] [--by DIM] [--html FILE]",
		Short: "Explain a metric's change: per line and member, a bridge, price/volume/mix",
		Long: `Compare a metric over a period (default: the latest complete month) with the
prior period, the prior year or a budget: the absolute and % variance,
favourable or unfavourable by the line's sign, per hierarchy line beneath the
metric and per member of --by, a bridge from the comparison total to the
actual, and — where the metric is price × quantity (a quantity metric of the
same fact, or --volume) — a price / volume / mix decomposition whose effects
sum to the change exactly. The convention is in docs/insights.md.`,
		Example: `  databridge analytics variance gross_profit --period "Q1 FY2026" --against prior_year
  databridge analytics variance revenue --against budget --by region
  databridge analytics variance revenue --period FY2026 --against prior_year --by category --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Metric = args[0]
			if strings.TrimSpace(in.Against) == "" {
				return cmdutil.Usagef("--against is required: prior_period, prior_year, budget or forecast:NAME")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			v, err := svc.Insights.Variance(cmd.Context(), in)
			if err != nil {
				return err
			}
			if err := writeHTML(f, html, v.Page(footer(cmd))); err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(v)
			}
			printVariance(f, v)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Period, "period", "", "period (FY2026, Q1 FY2026, 2025-09 …; default: the latest complete month)")
	fl.StringVar(&in.Against, "against", "", "prior_period, prior_year, budget (budget:NAME) or forecast:NAME")
	fl.StringVar(&in.By, "by", "", "a dimension to break the variance down by (also the mix dimension)")
	fl.StringVar(&in.Volume, "volume", "", "the quantity metric of a price × quantity metric")
	fl.IntVar(&in.Top, "top", 0, "members listed and bridged (default 10)")
	fl.StringVar(&in.AsOf, "as-of", "", "date relative periods resolve against (YYYY-MM-DD, default today)")
	fl.StringVar(&html, "html", "", "also write the variance as a self-contained HTML page (the bridge as a waterfall)")
	return cmd
}

// footer is the command line a page was made by.
func footer(cmd *cobra.Command) string {
	parts := []string{cmd.CommandPath()}
	parts = append(parts, cmd.Flags().Args()...)
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if fl.Name != "html" && fl.Name != "json" && fl.Name != "project-dir" {
			parts = append(parts, "--"+fl.Name, fl.Value.String())
		}
	})
	return "made by " + strings.Join(parts, " ")
}

// writeHTML writes a report page when asked (--html FILE).
func writeHTML(f *cmdutil.Factory, path string, p *report.Page) error {
	if path == "" {
		return nil
	}
	if err := p.WriteFile(path); err != nil {
		return fmt.Errorf("--html %s: %w", path, err)
	}
	fmt.Fprintf(f.IO.ErrOut, "wrote %s\n", path)
	return nil
}

func seriesFlags(fl *pflag.FlagSet, in *insights.SeriesArgs) {
	fl.StringVar(&in.By, "by", "", "a dimension: also each of its members' series")
	fl.StringVar(&in.Grain, "grain", "", "month (default) or quarter (fiscal quarters)")
	fl.StringVar(&in.Period, "period", "", "the span to read (default: all history up to the as-of date)")
	fl.StringVar(&in.AsOf, "as-of", "", "only periods that ended by this date (YYYY-MM-DD, default today)")
}

func spark(vals []decimal.Decimal) string {
	fs := make([]float64, len(vals))
	for i, v := range vals {
		fs[i], _ = v.Float64()
	}
	return report.SparklineWidth(fs, 24)
}

func newAnomaliesCmd(f *cmdutil.Factory) *cobra.Command {
	var in insights.AnomalyArgs
	var html string
	cmd := &cobra.Command{
		Use:   "anomalies METRIC [--by DIM] [--grain month|quarter] [--html FILE]",
		Short: "Find a metric's spikes, dips and level shifts, and the members that drive them",
		Long: `Decompose the metric's series (a robust trend and the fiscal seasonality),
score what is left robustly (median/MAD), and tell one-off spikes and dips from
level shifts. Each finding says what, when, how far from the expected value,
and — with --by — which members drive it; each member's own series is read
too. The method is in docs/insights-methods.md.`,
		Example: "  databridge analytics anomalies revenue\n  databridge analytics anomalies operating_expenses --by department --html anomalies.html",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Metric = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Insights.Anomalies(cmd.Context(), in)
			if err != nil {
				return err
			}
			if err := writeHTML(f, html, r.Page(footer(cmd))); err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "%s by %s, %s  %s\n", r.Label, r.Grain, span(r.Periods), spark(r.Values))
			if len(r.Findings) == 0 {
				fmt.Fprintln(out, "no anomaly: every value is within the expected range")
			}
			for _, a := range r.Findings {
				fmt.Fprintf(out, "  %s  %-11s %s\n", a.Period, a.Kind, a.Text)
				for _, d := range a.Drivers {
					fmt.Fprintf(out, "      %s %+.2f (%.1f%%)\n", d.Member, d.Deviation, d.SharePct)
				}
			}
			if len(r.MemberFindings) > 0 {
				fmt.Fprintln(out, "\nmembers' own anomalies:")
				t := cmdutil.NewTable(f.IO, "MEMBER", "PERIOD", "KIND", "DEVIATION", "SCORE")
				for _, a := range r.MemberFindings {
					t.Row(a.Member, a.Period, a.Kind, fmt.Sprintf("%.2f", a.Deviation), fmt.Sprintf("%.2f", a.Score))
				}
				t.Render(out)
			}
			for _, n := range r.Notes {
				fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
			}
			return nil
		},
	}
	seriesFlags(cmd.Flags(), &in.SeriesArgs)
	cmd.Flags().Float64Var(&in.Threshold, "threshold", 0, "robust z-score above which a value is a spike or dip (default 3)")
	cmd.Flags().StringVar(&html, "html", "", "also write a self-contained HTML page (the series with the anomalies marked)")
	return cmd
}

func newTrendCmd(f *cmdutil.Factory) *cobra.Command {
	var in insights.SeriesArgs
	var html string
	cmd := &cobra.Command{
		Use:   "trend METRIC [--by DIM] [--grain month|quarter] [--html FILE]",
		Short: "A metric's direction and slope with an interval, change points, growth rates",
		Long: `Read the trend of the metric's deseasonalised series: direction and slope per
period with its 95% interval (Sen's slope, seasonal Kendall over same-month
pairs), change points, and growth rates over the last complete periods
(MoM, QoQ, YoY, CAGR). The method is in docs/insights-methods.md.`,
		Example: "  databridge analytics trend revenue\n  databridge analytics trend revenue --by region --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Metric = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Insights.Trend(cmd.Context(), in)
			if err != nil {
				return err
			}
			if err := writeHTML(f, html, r.Page(footer(cmd))); err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "%s by %s, %s  %s\n%s\n", r.Label, r.Grain, span(r.Periods), spark(r.Values), r.Trend.Text)
			if len(r.Members) > 0 {
				t := cmdutil.NewTable(f.IO, strings.ToUpper(r.By), "DIRECTION", "SLOPE", "INTERVAL")
				for _, m := range r.Members {
					t.Row(m.Member, m.Direction, fmt.Sprintf("%.2f", m.Slope.Estimate), fmt.Sprintf("%.2f … %.2f", m.Slope.Lower, m.Slope.Upper))
				}
				t.Render(out)
			}
			for _, n := range r.Notes {
				fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
			}
			return nil
		},
	}
	seriesFlags(cmd.Flags(), &in)
	cmd.Flags().StringVar(&html, "html", "", "also write a self-contained HTML page")
	return cmd
}

func newForecastCmd(f *cmdutil.Factory) *cobra.Command {
	var in insights.ForecastArgs
	var html string
	cmd := &cobra.Command{
		Use:   "forecast METRIC [--horizon 12] [--method auto|seasonal_naive|holt_winters|ets|theta] [--by DIM] [--save NAME] [--html FILE]",
		Short: "Forecast a metric with prediction intervals; auto picks the method by backtest",
		Long: `Forecast the metric's series with 80% and 95% prediction intervals. auto (the
default) chooses per series by a rolling-origin backtest (MASE against
seasonal naive, sMAPE), and the backtest is shown; too little history falls
back with a note. --save NAME keeps the forecast as a scenario: compare
with --against forecast:NAME. The methods are in docs/forecast.md.`,
		Example: "  databridge analytics forecast revenue --horizon 12\n  databridge analytics forecast revenue --save fc_fy2027 --html forecast.html",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Metric = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Insights.Forecast(cmd.Context(), in)
			if err != nil {
				return err
			}
			if err := writeHTML(f, html, r.Page(footer(cmd))); err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			out := f.IO.Out
			fc := r.Forecast
			fmt.Fprintf(out, "%s: %s (%s), history %s  %s\n", r.Label, fc.Method, fc.Model, span(r.Periods), spark(r.Values))
			h := []string{"PERIOD", "FORECAST"}
			for _, iv := range fc.Intervals {
				h = append(h, fmt.Sprintf("%.0f%% LOW", iv.Level), fmt.Sprintf("%.0f%% HIGH", iv.Level))
			}
			t := cmdutil.NewTable(f.IO, h...)
			for i, per := range fc.Periods {
				row := []any{per, fmt.Sprintf("%.2f", fc.Point[i])}
				for _, iv := range fc.Intervals {
					row = append(row, fmt.Sprintf("%.2f", iv.Lower[i]), fmt.Sprintf("%.2f", iv.Upper[i]))
				}
				t.Row(row...)
			}
			t.Render(out)
			fmt.Fprintln(out, "\nbacktest:")
			bt := cmdutil.NewTable(f.IO, "METHOD", "MODEL", "MASE", "SMAPE", "")
			for _, row := range fc.Backtest {
				c := ""
				if row.Chosen {
					c = "chosen"
				}
				bt.Row(string(row.Method), row.Model, fmt.Sprintf("%.3f", row.MASE), fmt.Sprintf("%.2f", row.SMAPE), c)
			}
			bt.Render(out)
			for _, n := range append(r.Notes, fc.Notes...) {
				fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
			}
			return nil
		},
	}
	seriesFlags(cmd.Flags(), &in.SeriesArgs)
	fl := cmd.Flags()
	fl.IntVar(&in.Horizon, "horizon", 12, "periods to forecast")
	fl.StringVar(&in.Method, "method", "auto", "auto, naive, seasonal_naive, holt_winters, ets or theta")
	fl.Float64SliceVar(&in.Levels, "levels", nil, "prediction interval coverages in percent (default 80,95)")
	fl.StringVar(&in.Save, "save", "", "save the total's forecast as a scenario of this name")
	fl.BoolVar(&in.Replace, "replace", false, "replace a saved forecast of that name")
	fl.StringVar(&html, "html", "", "also write a self-contained HTML page (forecast with interval bands and the backtest)")
	return cmd
}

// span is "FIRST … LAST" of a result's periods.
func span(periods []string) string {
	a, b := insights.Span(periods)
	return a + " … " + b
}

func pctText(p *string) string {
	if p == nil {
		return "—"
	}
	return *p + "%"
}

func printVariance(f *cmdutil.Factory, v *insights.Variance) {
	out := f.IO.Out
	fmt.Fprintf(out, "%s, %s against %s\n", v.Label, v.Period, v.ComparisonLabel)
	fmt.Fprintf(out, "  actual %s   %s %s   change %s (%s) — %s\n\n", v.Actual.StringFixed(2), v.ComparisonLabel, v.Comparison.StringFixed(2), v.Change.StringFixed(2), pctText(v.ChangePct), v.Assessment)
	if len(v.Lines) > 0 {
		t := cmdutil.NewTable(f.IO, "LINE", "ACTUAL", strings.ToUpper(v.ComparisonLabel), "CHANGE", "%", "EFFECT ON TOTAL", "")
		for _, it := range v.Lines {
			t.Row(labelOf(it), it.Actual.StringFixed(2), it.Comparison.StringFixed(2), it.Change.StringFixed(2), pctText(it.ChangePct), it.Contribution.StringFixed(2), it.Assessment)
		}
		t.Render(out)
		fmt.Fprintln(out)
	}
	if len(v.Members) > 0 {
		t := cmdutil.NewTable(f.IO, strings.ToUpper(v.By), "ACTUAL", strings.ToUpper(v.ComparisonLabel), "CHANGE", "%", "")
		for _, it := range v.Members {
			t.Row(it.Name, it.Actual.StringFixed(2), it.Comparison.StringFixed(2), it.Change.StringFixed(2), pctText(it.ChangePct), it.Assessment)
		}
		if o := v.OtherMembers; o != nil {
			t.Row(o.Name, o.Actual.StringFixed(2), o.Comparison.StringFixed(2), o.Change.StringFixed(2), pctText(o.ChangePct), o.Assessment)
		}
		t.Render(out)
		fmt.Fprintln(out)
	}
	if p := v.PVM; p != nil {
		fmt.Fprintf(out, "price / volume / mix (volume: %s %s → %s):\n", p.VolumeMetric, p.VolumeComp.String(), p.VolumeActual.String())
	}
	fmt.Fprintln(out, "bridge:")
	t := cmdutil.NewTable(f.IO, "STEP", "VALUE")
	for _, s := range v.Bridge {
		val := s.Value.StringFixed(2)
		if s.Kind == "effect" && s.Value.IsPositive() {
			val = "+" + val
		}
		t.Row(s.Label, val)
	}
	t.Render(out)
	for _, n := range v.Notes {
		fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
	}
}

func labelOf(it insights.Item) string {
	if it.Label != "" {
		return it.Label
	}
	return it.Name
}
