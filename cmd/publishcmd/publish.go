// Package publishcmd implements `databridge publish`: push the generated
// dbt project to git (and GitHub), and `publish dbt-cloud` to run it.
package publishcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/gitops"
)

// NewCmd builds `databridge publish`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	var in advanced.PublishInput
	cmd := &cobra.Command{
		Use:   "publish [--remote URL] [--github OWNER/NAME] [--branch B]",
		Short: "Commit and push the generated dbt project (Advanced Mode); on GitHub, create the repository and open a pull request",
		Long: `Commit what is not committed yet in the dbt project folder (generate it with
` + "`databridge generate dbt`" + `) and push it.

--remote takes an https or ssh URL, a local path (a bare repository) or a
remote name. With --github OWNER/NAME the repository is created when it does
not exist (private unless --public) and its clone URL is the remote; pushing
to a branch other than the repository's default opens a pull request.

The token comes from the environment variable named by --token-env (default
GITHUB_TOKEN); it is never written to the repository's config, and never
appears in output or errors.`,
		Example: `  databridge publish --remote ../warehouse.git
  databridge publish --github acme/finance-dbt
  databridge publish --github acme/finance-dbt --branch databridge/update --token-env GH_TOKEN
  databridge publish dbt-cloud --account 123 --job 456 --wait`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in.Remote == "" && in.GitHubRepo == "" {
				return cmdutil.Usagef("give --remote URL or --github OWNER/NAME")
			}
			s, err := f.Services()
			if err != nil {
				return err
			}
			res, err := s.Advanced.Publish(cmd.Context(), in, nil)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			if r := res.Repository; r != nil {
				verb := "using"
				if r.Created {
					verb = "created"
				}
				fmt.Fprintf(f.IO.Out, "%s %s repository %s\n", f.IO.SuccessIcon(), verb, r.HTMLURL)
			}
			if c := res.Commit; c.Changed {
				fmt.Fprintf(f.IO.Out, "%s committed %s on %s\n", f.IO.SuccessIcon(), gitops.ShortHash(c.Commit), c.Branch)
			}
			if res.Push.UpToDate {
				fmt.Fprintf(f.IO.Out, "%s %s on %s is up to date (%s)\n", f.IO.SuccessIcon(), res.Push.Branch, res.Push.Remote, gitops.ShortHash(res.Push.Commit))
			} else {
				fmt.Fprintf(f.IO.Out, "%s pushed %s to %s on %s\n", f.IO.SuccessIcon(), gitops.ShortHash(res.Push.Commit), res.Push.Branch, res.Push.Remote)
			}
			if pr := res.PullRequest; pr != nil {
				verb := "opened"
				if !pr.Created {
					verb = "updated"
				}
				fmt.Fprintf(f.IO.Out, "%s %s pull request #%d: %s\n", f.IO.SuccessIcon(), verb, pr.Number, pr.HTMLURL)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Dir, "dir", "", "dbt project folder (default "+advanced.DefaultDir+")")
	fl.StringVar(&in.Remote, "remote", "", "git remote: URL, local path or remote name")
	fl.StringVar(&in.GitHubRepo, "github", "", "GitHub repository OWNER/NAME, created when missing")
	fl.StringVar(&in.Branch, "branch", "", "remote branch (default: the current branch; a non-default branch on GitHub gets a pull request)")
	fl.StringVar(&in.Base, "base", "", "pull request base (default: the repository's default branch)")
	fl.StringVar(&in.TokenEnv, "token-env", "", "environment variable holding the token (default "+gitops.DefaultGitHubTokenEnv+")")
	fl.BoolVar(&in.Force, "force", false, "replace the remote branch even if it has commits the local one lacks")
	fl.BoolVar(&in.Public, "public", false, "create the GitHub repository public")
	fl.StringVar(&in.Message, "message", "", "commit message for uncommitted changes")
	fl.StringVar(&in.GitHubAPI, "github-api", "", "GitHub API URL (Enterprise: https://HOST/api/v3)")
	cmd.AddCommand(newCloudCmd(f))
	return cmd
}

func newCloudCmd(f *cmdutil.Factory) *cobra.Command {
	var in advanced.CloudRunInput
	cmd := &cobra.Command{
		Use:   "dbt-cloud --account ID --job ID [--wait]",
		Short: "Trigger a dbt Cloud job (after publishing) and optionally wait for its outcome",
		Example: `  databridge publish dbt-cloud --account 123 --job 456 --wait
  DBT_CLOUD_API_TOKEN=... databridge publish dbt-cloud --account 123 --job 456 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in.AccountID == "" || in.JobID == "" {
				return cmdutil.Usagef("--account and --job are required")
			}
			return RunDBTCloud(cmd, f, in)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.AccountID, "account", "", "dbt Cloud account id")
	fl.StringVar(&in.JobID, "job", "", "dbt Cloud job id")
	fl.StringVar(&in.TokenEnv, "token-env", "", "environment variable holding the API token (default "+gitops.DefaultDBTCloudTokenEnv+")")
	fl.StringVar(&in.BaseURL, "url", "", "dbt Cloud URL (default "+gitops.DBTCloudURL+")")
	fl.BoolVar(&in.Wait, "wait", false, "wait for the run to finish; a failed run exits non-zero")
	fl.StringVar(&in.Cause, "cause", "", "cause shown in dbt Cloud")
	fl.DurationVar(&in.PollInterval, "poll-interval", gitops.DefaultPollInterval, "with --wait: how often to check the run")
	return cmd
}

// RunDBTCloud triggers the dbt Cloud job (following it with in.Wait),
// reporting progress on stderr and the run on stdout. A failed or
// cancelled run is returned as a *gitops.RunFailedError after the run is
// printed.
func RunDBTCloud(cmd *cobra.Command, f *cmdutil.Factory, in advanced.CloudRunInput) error {
	s, err := f.Services()
	if err != nil {
		return err
	}
	run, err := s.Advanced.TriggerCloud(cmd.Context(), in, func(r *gitops.CloudRun) {
		if !f.JSON() && !f.IO.Quiet() {
			f.IO.Progress("dbt Cloud run %d: %s", r.ID, r.StatusHumanized)
		}
	})
	switch {
	case run == nil:
	case f.JSON():
		if perr := f.PrintJSON(run); perr != nil {
			return perr
		}
	default:
		icon := f.IO.SuccessIcon()
		if err != nil {
			icon = f.IO.FailIcon()
		}
		fmt.Fprintf(f.IO.Out, "%s dbt Cloud run %d: %s %s\n", icon, run.ID, run.StatusHumanized, run.HrefURL)
	}
	return err
}
