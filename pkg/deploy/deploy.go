// Package deploy applies a warehouse design to a target engine: it plans
// (create, replace, drop, unchanged — by checksum against the deployment
// ledger and the target's catalogue), applies in dependency order with the
// loads, validates, and records every deployment in a JSON ledger under
// .databridge/state/deployments/. It rolls deployments back and recovers
// deployments whose process died.
//
// Atomicity depends on the engine. Where DDL is transactional (DuckDB,
// PostgreSQL, SQL Server) the whole apply — drops, DDL, loads, validation —
// runs in one transaction committed only when validation passes. Elsewhere
// (MySQL/MariaDB, Snowflake, BigQuery, Databricks) the previous state of
// every object is captured first (definitions; tables renamed to a backup
// so their rows survive) and a failure is compensated in reverse. See
// docs/deploy.md for the exact guarantee per engine.
package deploy

import (
	"errors"
	"time"

	"github.com/databridge/databridge/pkg/warehouse"
)

// Action is what a deployment does to one object.
type Action string

// Actions.
const (
	ActionCreate    Action = "create"
	ActionReplace   Action = "replace"
	ActionUnchanged Action = "unchanged"
	ActionDrop      Action = "drop"
)

// PlanItem is one object and what the deployment does to it.
type PlanItem struct {
	Object *warehouse.Object `json:"object"`
	Action Action            `json:"action"`
	Reason string            `json:"reason"`
	// Exists says whether the object was found in the target when planned;
	// ExistingKind is the kind found there (table, view, ...).
	Exists       bool   `json:"exists"`
	ExistingKind string `json:"existing_kind,omitempty"`
}

// Plan is what a deployment will do. Items hold the design's objects in
// topological order, then the drops (dependents first).
type Plan struct {
	Target  string     `json:"target"`
	Dialect string     `json:"dialect"`
	Items   []PlanItem `json:"items"`
	Grants  []string   `json:"grants,omitempty"`
	// Base is the ID of the committed deployment the plan was diffed
	// against ("" for the first deployment). Apply refuses a plan whose
	// base is no longer the target's latest committed deployment.
	Base string `json:"base,omitempty"`
	// Unfinished lists deployments of the target whose process died
	// (status running); Apply recovers them before it starts.
	Unfinished    []string `json:"unfinished,omitempty"`
	Transactional bool     `json:"transactional"`
	Creates       int      `json:"creates"`
	Replaces      int      `json:"replaces"`
	Drops         int      `json:"drops"`
	Unchanged     int      `json:"unchanged"`
}

// Changes is the number of objects the plan touches.
func (p *Plan) Changes() int { return p.Creates + p.Replaces + p.Drops }

// Deployment statuses.
const (
	StatusPlanned   = "planned"
	StatusRunning   = "running"
	StatusCommitted = "committed"
	StatusFailed    = "failed"
	// StatusSucceeded ends a record that is not a Basic Mode deployment
	// (KindDBT): it changed the target, but not objects the ledger tracks.
	StatusSucceeded  = "succeeded"
	StatusRolledBack = "rolled_back"
	StatusRecovered  = "recovered"
)

// Record kinds.
const (
	KindDeploy   = "deploy"
	KindRollback = "rollback"
	// KindDBT is a dbt build of the generated dbt project (Advanced
	// Mode); see NewRunRecord.
	KindDBT = "dbt"
)

// Statement phases.
const (
	PhaseBackup     = "backup"     // capture/move aside the previous object (non-transactional engines)
	PhaseDrop       = "drop"       // drop removed objects and dependents of replaced ones
	PhaseDDL        = "ddl"        // create or replace
	PhaseLoad       = "load"       // fill a table
	PhaseGrant      = "grant"      // design grants
	PhaseValidate   = "validate"   // the validator (one entry)
	PhaseCompensate = "compensate" // undo after a failure (non-transactional engines)
	PhaseCleanup    = "cleanup"    // drop backups after success
)

// StatementRecord is one executed statement.
type StatementRecord struct {
	Object       string    `json:"object,omitempty"`
	SQL          string    `json:"sql"`
	Phase        string    `json:"phase"`
	StartedAt    time.Time `json:"started_at"`
	DurationMS   int64     `json:"duration_ms"`
	RowsAffected int64     `json:"rows_affected,omitempty"`
	Error        string    `json:"error,omitempty"`
}

// ObjectState is an object as it was in the target before a deployment
// touched it.
type ObjectState struct {
	Name   string `json:"name"`
	Schema string `json:"schema,omitempty"`
	// Exists is false for an object the deployment creates.
	Exists bool   `json:"exists"`
	Kind   string `json:"kind,omitempty"`
	// Definition is the engine's DDL for it (SHOW CREATE, GET_DDL, ...),
	// captured on engines without transactional DDL.
	Definition string `json:"definition,omitempty"`
	// Backup is the table the previous table was renamed to (its rows
	// included) until the deployment finishes.
	Backup string `json:"backup,omitempty"`
	// Deployment and Checksum identify the ledger's version of it, if any.
	Deployment string `json:"deployment,omitempty"`
	Checksum   string `json:"checksum,omitempty"`
}

// Record is one deployment in the ledger.
type Record struct {
	ID            string                  `json:"id"`
	Kind          string                  `json:"kind"`
	Target        string                  `json:"target"`
	Dialect       string                  `json:"dialect"`
	Status        string                  `json:"status"`
	Transactional bool                    `json:"transactional"`
	Plan          *Plan                   `json:"plan"`
	Statements    []StatementRecord       `json:"statements"`
	Previous      map[string]*ObjectState `json:"previous,omitempty"`
	// Error is why the deployment failed; FailedStatement indexes
	// Statements (-1 when no statement failed).
	Error           string    `json:"error,omitempty"`
	FailedStatement int       `json:"failed_statement"`
	User            string    `json:"user"`
	Host            string    `json:"host"`
	PID             int       `json:"pid"`
	StartedAt       time.Time `json:"started_at"`
	FinishedAt      time.Time `json:"finished_at,omitzero"`
	Validation      any       `json:"validation,omitempty"`
	// RollbackOf is the deployment a rollback record undoes; RolledBackBy
	// the rollback that undid this one.
	RollbackOf   string `json:"rollback_of,omitempty"`
	RolledBackBy string `json:"rolled_back_by,omitempty"`
	// Notes are what recovery and cleanup found (leftover backups, the
	// state a dead transaction left).
	Notes []string `json:"notes,omitempty"`
	// Interrupted is set on a running record read from the ledger whose
	// process is gone (it ran on this host and its pid is no longer
	// alive): killed, waiting for recovery. Worked out when read, never
	// stored.
	Interrupted string `json:"interrupted,omitempty"`
	// RequestID is the id of the call that ran it (an MCP tool call or a
	// CLI command): the same id is on the audit line and the logs.
	RequestID string `json:"request_id,omitempty"`
}

// Summary is one line of deploy history.
type Summary struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Target       string    `json:"target"`
	Dialect      string    `json:"dialect"`
	Status       string    `json:"status"`
	Creates      int       `json:"creates"`
	Replaces     int       `json:"replaces"`
	Drops        int       `json:"drops"`
	Unchanged    int       `json:"unchanged"`
	Statements   int       `json:"statements"`
	Error        string    `json:"error,omitempty"`
	User         string    `json:"user"`
	StartedAt    time.Time `json:"started_at"`
	FinishedAt   time.Time `json:"finished_at,omitzero"`
	RollbackOf   string    `json:"rollback_of,omitempty"`
	RolledBackBy string    `json:"rolled_back_by,omitempty"`
	// Interrupted: see Record.Interrupted.
	Interrupted string `json:"interrupted,omitempty"`
}

// Errors callers can test with errors.Is.
var (
	ErrValidationFailed = errors.New("validation failed")
	ErrStalePlan        = errors.New("the plan is stale: another deployment committed since it was made; plan again")
	ErrNotFound         = errors.New("deployment not found")
	ErrNotCommitted     = errors.New("deployment is not committed")
)
