// Package eventscmd implements `databridge events`: follow the project's
// events live and manage the webhooks they are posted to.
package eventscmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/events"
)

// NewCmd builds the events command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Follow the project's events live; post them to webhooks",
		Long: `Every process working on the project publishes what it did as events:
` + typeList() + `.
They travel over Redis pub/sub when config.yaml sets events.redis_url (or
DATABRIDGE_REDIS_URL is set), on channels databridge:<project>:<type>;
otherwise through .databridge/state/events/events.jsonl, which every process
appends to and followers watch. A running 'databridge mcp serve' refreshes
its semantic layer when another process deploys. See docs/events.md.`,
	}
	wh := &cobra.Command{
		Use:   "webhook",
		Short: "Post events to URLs, signed with HMAC-SHA256",
	}
	wh.AddCommand(newWebhookAddCmd(f), newWebhookListCmd(f), newWebhookRemoveCmd(f))
	cmd.AddCommand(newTailCmd(f), wh)
	return cmd
}

func typeList() string {
	var s []string
	for _, t := range events.Types() {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

// TailOptions are the parsed flags of `events tail`.
type TailOptions struct {
	Types   []string
	History int
	Count   int
	Timeout time.Duration
}

func newTailCmd(f *cmdutil.Factory) *cobra.Command {
	o := &TailOptions{}
	cmd := &cobra.Command{
		Use:   "tail",
		Short: "Show the project's events as they happen (Ctrl-C stops)",
		Long: `Show the project's events as they happen, from every process (CLI commands,
MCP servers), until interrupted. --json prints one JSON event per line.
--history N first shows the last N events of this machine's journal.`,
		Example: `  databridge events tail
  databridge events tail --json --type deployment.completed --type deployment.failed
  databridge events tail --history 20
  databridge events tail --count 1 --type deployment.completed --timeout 10m   # wait for the next deploy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.History < 0 || o.Count < 0 {
				return cmdutil.Usagef("--history and --count take a number of events (0 or more)")
			}
			in := events.TailInput{History: o.History, Count: o.Count}
			for _, t := range o.Types {
				t = strings.TrimSpace(t)
				if !events.Known(events.Type(t)) {
					return cmdutil.Usagef("unknown event type %q (known: %s)", t, typeList())
				}
				in.Types = append(in.Types, events.Type(t))
			}
			p, err := f.Project()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if o.Timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, o.Timeout)
				defer cancel()
			}
			shown := 0
			enc := json.NewEncoder(f.IO.Out)
			ready := func(i events.TailInfo) {
				if !f.IO.Quiet() {
					fmt.Fprintf(f.IO.ErrOut, "Following events of %s over %s (%s)\n", p.Config.Name, i.Transport, i.Where)
				}
			}
			err = events.NewService(p).Tail(ctx, in, ready, func(e events.Event) error {
				shown++
				if f.JSON() {
					return enc.Encode(e)
				}
				_, err := fmt.Fprintln(f.IO.Out, e.String())
				return err
			})
			if err == nil && o.Count > 0 && shown < o.Count && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("%d of %d events within --timeout %s", shown, o.Count, o.Timeout)
			}
			return err
		},
	}
	cmd.Flags().StringArrayVar(&o.Types, "type", nil, "show only this event type (repeatable)")
	cmd.Flags().IntVar(&o.History, "history", 0, "first show the last N events of the local journal")
	cmd.Flags().IntVar(&o.Count, "count", 0, "stop after N events, --history included (0: until interrupted)")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 0, "stop after this long (with --count, fewer events is an error)")
	return cmd
}

// WebhookAddOptions are the parsed flags of `events webhook add`.
type WebhookAddOptions struct {
	URL       string
	SecretEnv string
	Types     []string
}

func newWebhookAddCmd(f *cmdutil.Factory) *cobra.Command {
	o := &WebhookAddOptions{}
	cmd := &cobra.Command{
		Use:   "add URL",
		Short: "Post every event (or --type ones) to URL",
		Long: `Post events as JSON to URL from the process that publishes them. With
--secret-env VAR each post carries X-Databridge-Signature: sha256=<hex>, the
HMAC-SHA256 of the body with the secret in environment variable VAR (set it
wherever databridge runs; it is never written to a file or a log). A URL
that is itself a secret (a chat webhook) can be given as ${ENV}.`,
		Example: `  databridge events webhook add https://hooks.example.com/databridge --secret-env DATABRIDGE_WEBHOOK_SECRET
  databridge events webhook add '${SLACK_WEBHOOK_URL}' --type deployment.failed --type close.signed_off`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.URL = args[0]
			p, err := f.Project()
			if err != nil {
				return err
			}
			h, err := events.NewService(p).AddWebhook(cmd.Context(), events.WebhookInput{URL: o.URL, SecretEnv: o.SecretEnv, Types: o.Types})
			if err != nil {
				return cmdutil.Usagef("%v", err)
			}
			if f.JSON() {
				return f.PrintJSON(h)
			}
			fmt.Fprintf(f.IO.Out, "Added webhook %s: %s events to %s%s.\n", h.ID, kinds(h.Types), h.URL, signed(h.SecretEnv))
			return nil
		},
	}
	cmd.Flags().StringVar(&o.SecretEnv, "secret-env", "", "environment variable holding the HMAC secret (its name, not the secret)")
	cmd.Flags().StringArrayVar(&o.Types, "type", nil, "post only this event type (repeatable; default all)")
	return cmd
}

func kinds(ts []events.Type) string {
	if len(ts) == 0 {
		return "all"
	}
	var s []string
	for _, t := range ts {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

func signed(env string) string {
	if env == "" {
		return ", unsigned"
	}
	return ", signed with $" + env
}

func newWebhookListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the webhooks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.Project()
			if err != nil {
				return err
			}
			hs, err := events.NewService(p).Webhooks()
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(hs)
			}
			if len(hs) == 0 {
				fmt.Fprintln(f.IO.Out, "No webhooks. Add one with: databridge events webhook add URL --secret-env VAR")
				return nil
			}
			t := cmdutil.NewTable(f.IO, "ID", "URL", "EVENTS", "SECRET", "CREATED")
			for _, h := range hs {
				sec := "-"
				if h.SecretEnv != "" {
					sec = "$" + h.SecretEnv
				}
				t.Row(h.ID, h.URL, kinds(h.Types), sec, h.CreatedAt.Format(time.RFC3339))
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newWebhookRemoveCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID",
		Short: "Remove a webhook",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.Project()
			if err != nil {
				return err
			}
			h, err := events.NewService(p).RemoveWebhook(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(h)
			}
			fmt.Fprintf(f.IO.Out, "Removed webhook %s (%s).\n", h.ID, h.URL)
			return nil
		},
	}
}
