// Package cmd is the databridge command tree: cobra commands that parse
// flags, call one pkg/ service and render its result. Nothing else.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	analyticscmd "github.com/databridge/databridge/cmd/analyticscmd"
	analyzecmd "github.com/databridge/databridge/cmd/analyze"
	authcmd "github.com/databridge/databridge/cmd/authcmd"
	catalogcmd "github.com/databridge/databridge/cmd/catalog"
	closecmd "github.com/databridge/databridge/cmd/closecmd"
	"github.com/databridge/databridge/cmd/cmdutil"
	connectioncmd "github.com/databridge/databridge/cmd/connection"
	deploycmd "github.com/databridge/databridge/cmd/deploycmd"
	eventscmd "github.com/databridge/databridge/cmd/eventscmd"
	generatecmd "github.com/databridge/databridge/cmd/generate"
	hierarchycmd "github.com/databridge/databridge/cmd/hierarchy"
	initcmd "github.com/databridge/databridge/cmd/initcmd"
	mcpcmd "github.com/databridge/databridge/cmd/mcp"
	modelcmd "github.com/databridge/databridge/cmd/modelcmd"
	publishcmd "github.com/databridge/databridge/cmd/publishcmd"
	querycmd "github.com/databridge/databridge/cmd/querycmd"
	quickstartcmd "github.com/databridge/databridge/cmd/quickstartcmd"
	reconcilecmd "github.com/databridge/databridge/cmd/reconcilecmd"
	skillscmd "github.com/databridge/databridge/cmd/skillscmd"
	sqlcmd "github.com/databridge/databridge/cmd/sqlcmd"
	validatecmd "github.com/databridge/databridge/cmd/validatecmd"
	versioncmd "github.com/databridge/databridge/cmd/version"
	workflowcmd "github.com/databridge/databridge/cmd/workflowcmd"
	_ "github.com/databridge/databridge/pkg/connector/all" // every engine
	"github.com/databridge/databridge/pkg/connector/snowflake"
	"github.com/databridge/databridge/pkg/telemetry"
)

// Build information, set with -ldflags -X at release time.
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// Execute runs the CLI with the process arguments and streams and returns
// the exit code.
func Execute() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], cmdutil.System())
}

// Run runs the CLI with explicit arguments and streams (tests use it).
func Run(ctx context.Context, args []string, io *cmdutil.IOStreams) int {
	f := &cmdutil.Factory{IO: io, Version: version, Viper: viper.New()}
	return execute(ctx, f, NewRootCmd(f), args)
}

// execute runs root and turns its error into a message and an exit code. A
// panic in the command's goroutine becomes an internal error (exit 1, with
// the stack under -v), not Go's crash with exit 2, which is the code of a
// usage error. Panics in goroutines a command starts are not seen here.
func execute(ctx context.Context, f *cmdutil.Factory, root *cobra.Command, args []string) (code int) {
	io := f.IO
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = &cmdutil.InternalError{Value: r, Stack: debug.Stack()}
			}
		}()
		// One request id per command: it is on the deployment ledger's
		// records and the connectors' debug logs (an MCP server gives
		// each tool call its own).
		return root.ExecuteContext(telemetry.WithRequestID(ctx, telemetry.NewRequestID()))
	}()
	if err == nil {
		return cmdutil.ExitOK
	}
	jsonMode := jsonRequested(f, root, args)
	var ce *cmdutil.ChecksFailedError
	if !errors.As(err, &ce) || ce.Msg != "" {
		cmdutil.PrintError(io.ErrOut, err, jsonMode)
	}
	var ie *cmdutil.InternalError
	if errors.As(err, &ie) && f.Viper.GetBool(cmdutil.KeyVerbose) {
		fmt.Fprintf(io.ErrOut, "%s\n", ie.Stack)
	}
	code = cmdutil.ExitCode(err)
	if code == cmdutil.ExitUsage && !jsonMode {
		fmt.Fprintf(io.ErrOut, "Run '%s --help' for usage.\n", commandPath(root, args))
	}
	return code
}

// jsonRequested reports --json (or DATABRIDGE_JSON) even when the command
// line failed to parse, before the flags were bound.
func jsonRequested(f *cmdutil.Factory, root *cobra.Command, args []string) bool {
	if f.Viper.GetBool(cmdutil.KeyJSON) {
		return true
	}
	if fl := root.PersistentFlags().Lookup(cmdutil.KeyJSON); fl != nil && fl.Changed {
		return fl.Value.String() == "true"
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--"+cmdutil.KeyJSON); ok && (v == "" || v == "=true" || v == "=1") {
			return true
		}
	}
	on, _ := strconv.ParseBool(os.Getenv("DATABRIDGE_JSON"))
	return on
}

func commandPath(root *cobra.Command, args []string) string {
	c, _, err := root.Find(args)
	if err != nil || c == nil {
		return root.Name()
	}
	return c.CommandPath()
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "databridge",
		Short: "Data-warehouse automation for finance teams",
		Long: `databridge turns raw finance and operational data into a tested, documented
warehouse with financial reporting hierarchies, deploys it, checks it and
answers questions about it — from a terminal, a script, CI, or an AI agent
over MCP.

Project state lives in .databridge/ next to your files; by default everything
runs on the embedded DuckDB warehouse .databridge/warehouse.duckdb.`,
		Example: `  databridge init
  databridge connection add src --type files --path data/
  databridge catalog tables --connection src
  databridge sql "SELECT account, SUM(amount) FROM gl GROUP BY 1" --connection src
  databridge mcp serve`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       fmt.Sprintf("%s (commit %s, built %s)", version, commit, date),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			v := f.Viper
			v.SetEnvPrefix("DATABRIDGE")
			v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
			v.AutomaticEnv()
			if err := v.BindPFlags(cmd.Root().PersistentFlags()); err != nil {
				return err
			}
			if err := checkNotNegative(cmd); err != nil {
				return err
			}
			f.IO.SetQuiet(v.GetBool(cmdutil.KeyQuiet))
			f.IO.SetVerbose(v.GetBool(cmdutil.KeyVerbose))
			// Database drivers' own logs are diagnostics: only with -v, on
			// stderr, at debug level.
			if v.GetBool(cmdutil.KeyVerbose) {
				snowflake.SetDriverLogger(slog.New(slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: slog.LevelDebug})))
			} else {
				snowflake.SetDriverLogger(nil)
			}
			if v.GetBool(cmdutil.KeyNoColor) || v.GetBool(cmdutil.KeyJSON) {
				f.IO.SetColor(false)
			}
			return nil
		},
	}
	root.SetVersionTemplate("databridge {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.String(cmdutil.KeyProjectDir, "", "project folder (default: nearest .databridge/ upward from the working directory) [env DATABRIDGE_PROJECT_DIR]")
	pf.Bool(cmdutil.KeyJSON, false, "print machine-readable JSON on stdout [env DATABRIDGE_JSON]")
	pf.Bool(cmdutil.KeyNoColor, false, "disable colour (also NO_COLOR) [env DATABRIDGE_NO_COLOR]")
	pf.BoolP(cmdutil.KeyVerbose, "v", false, "verbose diagnostics on stderr")
	pf.BoolP(cmdutil.KeyQuiet, "q", false, "no progress output on stderr")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.UsageError{Err: err}
	})

	root.AddCommand(
		quickstartcmd.NewCmd(f),
		initcmd.NewCmd(f, nil),
		connectioncmd.NewCmd(f),
		catalogcmd.NewCmd(f),
		hierarchycmd.NewCmd(f),
		generatecmd.NewCmd(f),
		analyzecmd.NewCmd(f),
		modelcmd.NewCmd(f),
		deploycmd.NewCmd(f),
		publishcmd.NewCmd(f),
		validatecmd.NewCmd(f),
		analyticscmd.NewCmd(f),
		querycmd.NewCmd(f),
		reconcilecmd.NewCmd(f),
		closecmd.NewCmd(f),
		workflowcmd.NewCmd(f),
		sqlcmd.NewCmd(f, nil),
		mcpcmd.NewCmd(f),
		skillscmd.NewCmd(f),
		authcmd.NewCmd(f),
		eventscmd.NewCmd(f),
		versioncmd.NewCmd(f, versioncmd.Info{Version: version, Commit: commit, Date: date}),
	)
	wrapArgs(root)
	return root
}

// nonNegativeFlags are the timeout and interval flags of any command. A
// negative value would silently mean "the default" or "no limit"; it is a
// usage error instead. Add new timeout/interval flags here.
var nonNegativeFlags = []string{"timeout", "poll-interval"}

// checkNotNegative rejects a negative value given to one of
// nonNegativeFlags (int seconds or a duration).
func checkNotNegative(cmd *cobra.Command) error {
	for _, name := range nonNegativeFlags {
		fl := cmd.Flags().Lookup(name)
		if fl == nil || !fl.Changed {
			continue
		}
		if val := fl.Value.String(); strings.HasPrefix(val, "-") {
			return cmdutil.Usagef("--%s must not be negative (got %s)", name, val)
		}
	}
	return nil
}

// wrapArgs turns cobra's positional-argument errors into usage errors
// (exit 2) and makes unknown subcommands usage errors too.
func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		orig := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := orig(cmd, args); err != nil {
				return &cmdutil.UsageError{Err: err}
			}
			return nil
		}
	}
	if c.HasSubCommands() && c.RunE == nil && c.Run == nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.Usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}
