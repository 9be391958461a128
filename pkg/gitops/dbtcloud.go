package gitops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
)

// DBTCloudURL is dbt Cloud's default (North America multi-tenant) address.
// Other regions and single-tenant accounts have their own access URL, shown
// in the account settings.
const DBTCloudURL = "https://cloud.getdbt.com"

// DefaultDBTCloudTokenEnv is read when no token variable is named.
const DefaultDBTCloudTokenEnv = "DBT_CLOUD_API_TOKEN"

// DefaultPollInterval is how often WaitRun asks for a run's status.
const DefaultPollInterval = 10 * time.Second

// dbt Cloud run status codes (API v2).
const (
	RunQueued    = 1
	RunStarting  = 2
	RunRunning   = 3
	RunSuccess   = 10
	RunError     = 20
	RunCancelled = 30
)

// maxPollFailures is how many polls in a row may fail transiently (5xx,
// 429, network) before WaitRun gives up.
const maxPollFailures = 3

// DBTCloud is a small client for the dbt Cloud administrative API (v2):
// trigger a job and follow the run it starts.
type DBTCloud struct {
	// BaseURL is the account's access URL (DBTCloudURL when empty); a
	// trailing /api/v2 is accepted.
	BaseURL string
	// Token is a service or personal token; it never appears in errors.
	Token string
	// AccountID is the numeric dbt Cloud account.
	AccountID string
	// HTTP sends the requests; a client with a 60 s timeout when nil.
	HTTP *http.Client
	// PollInterval is the wait between status checks (DefaultPollInterval
	// when zero).
	PollInterval time.Duration

	tokenEnv string
}

// NewDBTCloud makes a client for accountID at baseURL (DBTCloudURL when
// empty) with the token in the environment variable tokenEnv
// (DefaultDBTCloudTokenEnv when empty).
func NewDBTCloud(baseURL, accountID, tokenEnv string) (*DBTCloud, error) {
	if err := checkID("account id", accountID); err != nil {
		return nil, err
	}
	base, tok, env, err := apiConfig("dbt Cloud", baseURL, DBTCloudURL, tokenEnv, DefaultDBTCloudTokenEnv,
		"access URL, e.g. "+DBTCloudURL)
	if err != nil {
		return nil, err
	}
	return &DBTCloud{BaseURL: base, Token: tok, AccountID: accountID, tokenEnv: env}, nil
}

// CloudRun is one run of a dbt Cloud job.
type CloudRun struct {
	ID              int64  `json:"id"`
	JobID           int64  `json:"job_id,omitempty"`
	Status          int    `json:"status"`
	StatusHumanized string `json:"status_humanized"`
	// StatusMessage is dbt Cloud's explanation of a failure, if any.
	StatusMessage string `json:"status_message,omitempty"`
	// HrefURL is the run's page in dbt Cloud.
	HrefURL  string `json:"href_url,omitempty"`
	Duration string `json:"duration,omitempty"`
}

// Done reports whether the run has finished (succeeded, failed or was cancelled).
func (r *CloudRun) Done() bool {
	return r.Status == RunSuccess || r.Status == RunError || r.Status == RunCancelled
}

// RunFailedError is a run that ended in error or was cancelled.
type RunFailedError struct {
	Run *CloudRun
}

func (e *RunFailedError) Error() string {
	r := e.Run
	what := "failed"
	if r.Status == RunCancelled {
		what = "was cancelled"
	}
	msg := fmt.Sprintf("dbt Cloud run %d", r.ID)
	if r.JobID != 0 {
		msg += fmt.Sprintf(" (job %d)", r.JobID)
	}
	msg += " " + what
	if r.StatusMessage != "" {
		msg += ": " + r.StatusMessage
	}
	if r.HrefURL != "" {
		msg += " — see " + r.HrefURL
	}
	return msg
}

type apiRun struct {
	ID                int64   `json:"id"`
	JobDefinitionID   int64   `json:"job_definition_id"`
	Status            int     `json:"status"`
	StatusHumanized   string  `json:"status_humanized"`
	StatusMessage     *string `json:"status_message"`
	Href              string  `json:"href"`
	DurationHumanized string  `json:"duration_humanized"`
}

func (a *apiRun) run() *CloudRun {
	r := &CloudRun{ID: a.ID, JobID: a.JobDefinitionID, Status: a.Status, StatusHumanized: a.StatusHumanized,
		HrefURL: a.Href, Duration: a.DurationHumanized}
	if a.StatusMessage != nil {
		r.StatusMessage = *a.StatusMessage
	}
	if r.StatusHumanized == "" {
		r.StatusHumanized = statusName(r.Status)
	}
	return r
}

func statusName(s int) string {
	switch s {
	case RunQueued:
		return "Queued"
	case RunStarting:
		return "Starting"
	case RunRunning:
		return "Running"
	case RunSuccess:
		return "Success"
	case RunError:
		return "Error"
	case RunCancelled:
		return "Cancelled"
	}
	return fmt.Sprintf("status %d", s)
}

// TriggerJob starts a run of jobID. cause is recorded by dbt Cloud as the
// reason for the run ("Triggered by databridge" when empty).
func (c *DBTCloud) TriggerJob(ctx context.Context, jobID, cause string) (*CloudRun, error) {
	if err := checkID("job id", jobID); err != nil {
		return nil, err
	}
	if cause == "" {
		cause = "Triggered by databridge"
	}
	var out apiRun
	if err := c.do(ctx, http.MethodPost, "/jobs/"+jobID+"/run/", map[string]string{"cause": cause}, &out); err != nil {
		return nil, err
	}
	if out.ID == 0 {
		return nil, fmt.Errorf("dbt Cloud: triggering job %s returned no run", jobID)
	}
	return out.run(), nil
}

// GetRun reads the current state of runID.
func (c *DBTCloud) GetRun(ctx context.Context, runID string) (*CloudRun, error) {
	if err := checkID("run id", runID); err != nil {
		return nil, err
	}
	var out apiRun
	if err := c.do(ctx, http.MethodGet, "/runs/"+runID+"/", nil, &out); err != nil {
		return nil, err
	}
	return out.run(), nil
}

// WaitRun polls runID until it finishes and returns its final state.
// progress, when not nil, is called with the first state seen and again each
// time the status changes. A run that ends in error or is cancelled returns
// the run together with a *RunFailedError. A few transient failures in a row
// (5xx, 429, network) are tolerated; ending ctx stops the wait (the run goes
// on in dbt Cloud).
func (c *DBTCloud) WaitRun(ctx context.Context, runID string, progress func(*CloudRun)) (*CloudRun, error) {
	if err := checkID("run id", runID); err != nil {
		return nil, err
	}
	interval := c.PollInterval
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	var last *CloudRun
	failures := 0
	for {
		run, err := c.GetRun(ctx, runID)
		switch {
		case err == nil:
			failures = 0
			if progress != nil && (last == nil || last.Status != run.Status) {
				progress(run)
			}
			last = run
			if run.Done() {
				if run.Status != RunSuccess {
					return run, &RunFailedError{Run: run}
				}
				return run, nil
			}
		case ctx.Err() != nil:
			return last, c.stopped(ctx, runID, last)
		case transient(err):
			failures++
			if failures >= maxPollFailures {
				return last, fmt.Errorf("dbt Cloud: gave up following run %s after %d failed status checks in a row: %w", runID, failures, err)
			}
		default:
			return last, err
		}
		if err := sleep(ctx, interval); err != nil {
			return last, c.stopped(ctx, runID, last)
		}
	}
}

func (c *DBTCloud) stopped(ctx context.Context, runID string, last *CloudRun) error {
	msg := "dbt Cloud: stopped waiting for run " + runID
	if last != nil {
		msg += " (last seen " + last.StatusHumanized + ")"
		if last.HrefURL != "" {
			msg += "; it goes on in dbt Cloud: " + last.HrefURL
		}
	}
	return fmt.Errorf("%s: %w", msg, ctx.Err())
}

// transient reports whether a failed request is worth repeating.
func transient(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Temporary()
	}
	return true // network trouble
}

func (c *DBTCloud) do(ctx context.Context, method, path string, in, out any) error {
	if c.Token == "" {
		return errors.New("dbt Cloud: no token (make the client with NewDBTCloud, which reads it from the environment)")
	}
	if err := checkID("account id", c.AccountID); err != nil {
		return err
	}
	base := c.BaseURL
	if base == "" {
		base = DBTCloudURL
	}
	base = strings.TrimSuffix(strings.TrimRight(base, "/"), "/api/v2")
	h := http.Header{}
	h.Set("Authorization", "Token "+c.Token)
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "databridge")
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	full := "/api/v2/accounts/" + c.AccountID + path
	err := call(ctx, c.HTTP, connector.NewRedactor(c.Token), "dbt Cloud", method, base, full, h, in, &env, parseDBTCloudError)
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		apiErr.Hint = c.hint(apiErr)
		return err
	}
	if err != nil {
		return err
	}
	if out != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fmt.Errorf("dbt Cloud: %s %s: unexpected answer: %v", method, full, err)
		}
	}
	return nil
}

func (c *DBTCloud) hint(e *APIError) string {
	env := "the token variable"
	if c.tokenEnv != "" {
		env = "$" + c.tokenEnv
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		return fmt.Sprintf("the token in %s was refused: check it and the access URL of your account's region", env)
	case e.Status == http.StatusForbidden:
		return fmt.Sprintf("the token in %s may not run jobs in account %s", env, c.AccountID)
	case e.Status == http.StatusNotFound:
		return fmt.Sprintf("check the account id (%s) and the job or run id", c.AccountID)
	case e.Temporary():
		return "dbt Cloud is having trouble; try again shortly"
	}
	return ""
}

// parseDBTCloudError reads {"status": {"user_message", "developer_message"}}.
func parseDBTCloudError(e *APIError, body []byte) {
	var b struct {
		Status struct {
			UserMessage      string `json:"user_message"`
			DeveloperMessage string `json:"developer_message"`
		} `json:"status"`
	}
	if json.Unmarshal(body, &b) != nil {
		return
	}
	e.Message = b.Status.UserMessage
	if b.Status.DeveloperMessage != "" && b.Status.DeveloperMessage != b.Status.UserMessage {
		e.Details = append(e.Details, b.Status.DeveloperMessage)
	}
}

// checkID accepts the numeric ids dbt Cloud uses, so they can go into a path.
func checkID(what, id string) error {
	if id == "" {
		return fmt.Errorf("dbt Cloud: %s is required", what)
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return fmt.Errorf("dbt Cloud: %s %q is not a number", what, id)
		}
	}
	return nil
}
