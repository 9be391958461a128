// Package authcmd implements `databridge auth`: API keys for
// `databridge mcp serve --http`.
package authcmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/auth"
)

// NewCmd builds the auth command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "API keys and roles for the MCP HTTP server",
		Long: `API keys authenticate callers of 'databridge mcp serve --http'. A key is
shown once, when it is created; only its SHA-256 hash is kept, in
.databridge/state/auth/keys.json. Each key has a role (viewer, analyst,
engineer, deployer, admin, or one defined in .databridge/roles.yaml) that
decides which tools its caller sees and may call. See docs/security.md.`,
	}
	key := &cobra.Command{Use: "key", Short: "Create, list and revoke API keys"}
	key.AddCommand(newCreateCmd(f), newListCmd(f), newRevokeCmd(f))
	cmd.AddCommand(key, newRolesCmd(f))
	return cmd
}

func newCreateCmd(f *cmdutil.Factory) *cobra.Command {
	var role, expires string
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create an API key and print it once",
		Example: `  databridge auth key create ci-bot --role analyst --expires 90d
  databridge auth key create ops --role deployer --expires never`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ttl, err := auth.ParseTTL(expires)
			if err != nil {
				return cmdutil.Usagef("%v", err)
			}
			p, err := f.Project()
			if err != nil {
				return err
			}
			pol, err := auth.LoadPolicy(p.Root)
			if err != nil {
				return err
			}
			if err := pol.CheckRole(role); err != nil {
				return cmdutil.Usagef("%v", err)
			}
			k, err := auth.OpenKeys(p.Root).Create(args[0], role, ttl)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(k)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "Created key %s (role %s, %s).\n", k.Name, k.Role, expiry(k.Expires))
			fmt.Fprintf(out, "%s\n", k.Key)
			fmt.Fprintln(f.IO.ErrOut, "This key is shown only now; store it in a secret manager. Use it as: Authorization: Bearer <key>")
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "the key's role (required)")
	cmd.Flags().StringVar(&expires, "expires", "90d", "lifetime: days (90d), a duration (12h) or never")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func expiry(t *time.Time) string {
	if t == nil {
		return "never expires"
	}
	return "expires " + t.Format(time.RFC3339)
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List API keys (never the keys themselves)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.Project()
			if err != nil {
				return err
			}
			keys, err := auth.OpenKeys(p.Root).List()
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(keys)
			}
			t := cmdutil.NewTable(f.IO, "NAME", "ID", "ROLE", "STATUS", "CREATED", "EXPIRES")
			for _, k := range keys {
				exp := "never"
				if k.Expires != nil {
					exp = k.Expires.Format(time.RFC3339)
				}
				t.Row(k.Name, k.ID, k.Role, k.Status, k.Created.Format(time.RFC3339), exp)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newRevokeCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke an API key (a running server refuses it at its next request)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.Project()
			if err != nil {
				return err
			}
			k, err := auth.OpenKeys(p.Root).Revoke(args[0])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(k)
			}
			fmt.Fprintf(f.IO.Out, "Revoked key %s (%s).\n", k.Name, k.ID)
			return nil
		},
	}
}

// RoleView is a role as `auth roles` prints it.
type RoleView struct {
	Name        string              `json:"name"`
	Description string              `json:"description,omitempty"`
	Allow       map[string][]string `json:"allow"`
	ManageKeys  bool                `json:"manage_keys"`
}

func newRolesCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "roles",
		Short: "Show the roles in force (defaults merged with .databridge/roles.yaml)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := f.Project()
			if err != nil {
				return err
			}
			pol, err := auth.LoadPolicy(p.Root)
			if err != nil {
				return err
			}
			var views []RoleView
			for _, n := range pol.RoleNames() {
				r := pol.Roles[n]
				v := RoleView{Name: n, Description: r.Description, Allow: map[string][]string{}, ManageKeys: r.ManageKeys}
				for _, res := range auth.Resources {
					for _, a := range auth.Actions {
						if r.Allows(auth.Permission{Resource: res, Action: a}) {
							v.Allow[string(res)] = append(v.Allow[string(res)], string(a))
						}
					}
				}
				views = append(views, v)
			}
			if f.JSON() {
				return f.PrintJSON(views)
			}
			t := cmdutil.NewTable(f.IO, "ROLE", "PROJECT", "HIERARCHY", "DEPLOYMENT", "QUERY")
			for _, v := range views {
				row := []any{v.Name}
				for _, res := range auth.Resources {
					row = append(row, joinOr(v.Allow[string(res)]))
				}
				t.Row(row...)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func joinOr(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	out := s[0]
	for _, x := range s[1:] {
		out += "," + x
	}
	return out
}
