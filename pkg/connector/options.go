package connector

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// OptionSpec is what databridge knows about one engine's options (the
// `options:` map of a connection, `--option KEY=VALUE`): which names the
// engine's driver reads, which of them carry a credential, and which are
// refused because databridge sets them itself or they weaken its safety.
//
// The rule every engine shares (Config.Validate applies it):
//   - a refused option is an error, whatever its value;
//   - a secret option may only hold an ${ENV} reference;
//   - a known option takes a literal value;
//   - an option databridge does not know may carry anything (drivers pass
//     unknown names on as session or server parameters), so it may only hold
//     an ${ENV} reference, unless the engine is Closed, which refuses it.
//
// Names compare case-insensitively.
type OptionSpec struct {
	// Known are the options that carry no secret: literal values allowed.
	Known []string
	// Secret are the options that carry a credential: ${ENV} only.
	Secret []string
	// Refused maps an option to why it cannot be set.
	Refused map[string]string
	// Closed engines read no option outside Known and Secret.
	Closed bool
	// Unknown says where the driver puts an option it does not read itself,
	// for error messages ("a server parameter").
	Unknown string
	// Name, when set, is the shape every option name must have; NameHint
	// is the error for a name that does not.
	Name     *regexp.Regexp
	NameHint string
}

// duckdbSandbox is why databridge refuses DuckDB settings that control file
// access, extensions and the configuration lock.
const duckdbSandbox = "databridge sets DuckDB's file access, extension loading and configuration lock itself (read-only mode is the read_only field)"

// engineOptions is the one table of known options, per engine type. Each
// list is what that engine's driver really reads (see the engine package):
//
//	postgres   pgx connection parameters; any other name is a server
//	           run-time parameter sent at connect.
//	mysql      go-sql-driver/mysql DSN parameters; any other name is a
//	           system variable SET at connect.
//	sqlserver  go-mssqldb connection string parameters.
//	snowflake  the engine's driver settings (host, port, protocol, ...);
//	           any other name is a session parameter.
//	databricks databricks-sql-go DSN parameters; any other name is a
//	           session parameter.
//	duckdb     DuckDB settings (any setting name).
//	files      the CSV reader settings of the files engine.
//	bigquery   none.
var engineOptions = map[string]OptionSpec{
	"postgres": {
		Known: []string{
			"sslmode", "sslrootcert", "sslcert", "sslkey", "sslcertmode", "sslnegotiation", "sslsni",
			"connect_timeout", "application_name", "target_session_attrs", "krbspn", "krbsrvname",
			"min_protocol_version", "max_protocol_version", "channel_binding", "require_auth",
			"service", "servicefile", "passfile",
			"statement_cache_capacity", "description_cache_capacity", "default_query_exec_mode",
			// Server run-time parameters that carry no secret.
			"search_path", "timezone", "datestyle", "intervalstyle", "client_encoding",
			"statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout", "extra_float_digits",
		},
		Secret:  []string{"password", "sslpassword"},
		Unknown: "a server run-time parameter",
	},
	"mysql": {
		Known: []string{
			"charset", "collation", "checkConnLiveness", "clientFoundRows", "columnsWithAlias", "compress",
			"interpolateParams", "loc", "parseTime", "timeTruncate", "readTimeout", "writeTimeout", "timeout",
			"tls", "rejectReadOnly", "maxAllowedPacket", "serverPubKey", "connectionAttributes",
			"allowNativePasswords", "allowCleartextPasswords", "allowFallbackToPlaintext", "allowOldPasswords",
			// System variables that carry no secret.
			"sql_mode", "time_zone", "transaction_isolation", "tx_isolation", "max_execution_time",
			"wait_timeout", "net_read_timeout", "net_write_timeout", "group_concat_max_len",
			"lock_wait_timeout", "innodb_lock_wait_timeout",
		},
		Secret: []string{"password", "passwd"},
		Refused: map[string]string{
			"allowAllFiles":   "it lets the server read any local file through LOAD DATA LOCAL INFILE",
			"multiStatements": "it lets one query carry several statements, which defeats databridge's read-only checks",
			"strict":          "go-sql-driver/mysql removed it (the driver panics on it)",
		},
		Unknown: "a system variable set at connect",
	},
	"sqlserver": {
		Known: []string{
			"database", "encrypt", "trustservercertificate", "certificate", "servercertificate",
			"hostnameincertificate", "tlsmin", "packet size", "log", "connection timeout", "dial timeout",
			"keepalive", "serverspn", "workstation id", "app name", "applicationintent", "failoverpartner",
			"failoverport", "failoverpartnerspn", "disableretry", "protocol", "multisubnetfailover",
			"notraceid", "guid conversion", "timezone", "epa enabled", "user id",
		},
		Secret:  []string{"password", "change password", "clientsecret", "clientassertion", "systemtoken"},
		Unknown: "a connection string parameter",
	},
	"snowflake": {
		Known: []string{
			"host", "port", "protocol", "region", "application", "login_timeout", "client_timeout",
			"request_timeout", "max_retry_count", "disable_ocsp_checks", "disable_telemetry",
			// Session parameters that carry no secret.
			"query_tag", "timezone", "week_start", "week_of_year_policy", "statement_timeout_in_seconds",
			"lock_timeout", "rows_per_resultset", "date_output_format", "time_output_format",
			"timestamp_output_format", "timestamp_ntz_output_format", "timestamp_ltz_output_format",
			"timestamp_tz_output_format", "timestamp_type_mapping", "binary_output_format",
			"client_session_keep_alive", "abort_detached_query", "use_cached_result",
		},
		Secret:  []string{"password", "token", "passcode", "privatekey", "oauthclientsecret"},
		Unknown: "a session parameter",
	},
	"databricks": {
		Known: []string{
			"catalog", "schema", "timeout", "maxRows", "userAgentEntry", "useCloudFetch",
			"maxDownloadThreads", "timezone", "authType", "clientId",
			// Session parameters that carry no secret.
			"ansi_mode", "statement_timeout", "use_cached_result",
		},
		Secret:  []string{"accessToken", "clientSecret", "token", "password"},
		Unknown: "a session parameter",
	},
	"duckdb": {
		Known: []string{
			"threads", "worker_threads", "memory_limit", "max_memory", "temp_directory",
			"max_temp_directory_size", "default_order", "default_null_order", "null_order",
			"preserve_insertion_order", "timezone", "calendar", "enable_progress_bar",
			"enable_progress_bar_print", "enable_object_cache", "checkpoint_threshold",
			"wal_autocheckpoint", "errors_as_json", "arrow_large_buffer_size",
			"preserve_identifier_case", "default_collation", "integer_division",
			"binary_as_string", "order_by_non_integer_literal",
		},
		Secret: []string{"s3_access_key_id", "s3_secret_access_key", "s3_session_token",
			"azure_storage_connection_string", "gcs_secret"},
		Refused: map[string]string{
			"enable_external_access":           duckdbSandbox,
			"allowed_directories":              duckdbSandbox,
			"allowed_paths":                    duckdbSandbox,
			"lock_configuration":               duckdbSandbox,
			"access_mode":                      duckdbSandbox,
			"allow_unsigned_extensions":        duckdbSandbox,
			"allow_community_extensions":       duckdbSandbox,
			"autoinstall_known_extensions":     duckdbSandbox,
			"autoload_known_extensions":        duckdbSandbox,
			"extension_directory":              duckdbSandbox,
			"custom_extension_repository":      duckdbSandbox,
			"autoinstall_extension_repository": duckdbSandbox,
			"allow_persistent_secrets":         duckdbSandbox,
			"secret_directory":                 duckdbSandbox,
			"disabled_filesystems":             duckdbSandbox,
		},
		Unknown:  "a DuckDB setting",
		Name:     regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`),
		NameHint: "is not a DuckDB setting name (letters, digits and _ only)",
	},
	"files": {
		Known:  []string{"dateformat", "delimiter", "header", "recursive"},
		Closed: true,
	},
	"bigquery": {
		Closed: true,
	},
}

// Options returns the option facts for an engine type.
func Options(typ string) (OptionSpec, bool) {
	s, ok := engineOptions[strings.ToLower(typ)]
	return s, ok
}

// OptionKind classifies an option name for an engine.
type OptionKind int

// The kinds of option.
const (
	OptionUnknown OptionKind = iota
	OptionKnown
	OptionSecret
	OptionRefused
)

func inFold(list []string, name string) bool {
	for _, k := range list {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// Kind classifies name: refused, secret, known, or unknown. A name the
// table does not list but that looks like a credential (api_key,
// client_secret, ...) is a secret.
func (s OptionSpec) Kind(name string) OptionKind {
	for k := range s.Refused {
		if strings.EqualFold(k, name) {
			return OptionRefused
		}
	}
	switch {
	case inFold(s.Secret, name):
		return OptionSecret
	case inFold(s.Known, name):
		return OptionKnown
	case isSecretKey(name):
		return OptionSecret
	}
	return OptionUnknown
}

func (s OptionSpec) refusedReason(name string) string {
	for k, why := range s.Refused {
		if strings.EqualFold(k, name) {
			return why
		}
	}
	return ""
}

// optionKind classifies an option for an engine type; engines the table
// does not list know no options (a credential-looking name is a secret).
func optionKind(typ, name string) OptionKind {
	s, _ := Options(typ)
	return s.Kind(name)
}

// optionMayBeLiteral reports whether an option's value may be printed and
// stored as written.
func optionMayBeLiteral(typ, name string) bool {
	return optionKind(typ, name) == OptionKnown
}

// CheckOptions applies the option rules of the engine typ to opts (an
// unexpanded config's options). Errors name the option, never its value.
func CheckOptions(typ string, opts map[string]string) error {
	if len(opts) == 0 {
		return nil
	}
	typ = strings.ToLower(typ)
	spec, listed := Options(typ)
	names := make([]string, 0, len(opts))
	for k := range opts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := opts[k]
		if spec.Name != nil && !spec.Name.MatchString(k) {
			return fmt.Errorf("option %q %s", k, spec.NameHint)
		}
		switch spec.Kind(k) {
		case OptionRefused:
			return fmt.Errorf("option %s cannot be set on a %s connection: %s; remove it", k, typ, spec.refusedReason(k))
		case OptionKnown:
			continue
		case OptionSecret:
			if spec.Closed && !inFold(spec.Secret, k) {
				return closedError(typ, k, spec)
			}
			if v != "" && !IsEnvRef(v) {
				return fmt.Errorf("option %s carries a credential: give it as an ${ENV} reference (for example %s=${%s}), not a literal value", k, k, suggestEnv(envName(k)))
			}
		case OptionUnknown:
			if spec.Closed {
				return closedError(typ, k, spec)
			}
			if v != "" && !IsEnvRef(v) {
				where := ""
				if listed && spec.Unknown != "" {
					where = fmt.Sprintf(" (the driver passes it on as %s)", spec.Unknown)
				}
				known := ""
				if listed {
					known = fmt.Sprintf("; options known for %s: %s", typ, strings.Join(spec.Known, ", "))
				}
				return fmt.Errorf("option %s is not an option databridge knows for %s%s, so it may carry a secret: give its value as an ${ENV} reference (for example %s=${%s}) or remove it%s", k, typ, where, k, suggestEnv(envName(k)), known)
			}
		}
	}
	return nil
}

func closedError(typ, k string, spec OptionSpec) error {
	if len(spec.Known)+len(spec.Secret) == 0 {
		return fmt.Errorf("option %q: the %s engine takes no options", k, typ)
	}
	return fmt.Errorf("unknown option %q for the %s engine (known: %s)", k, typ, strings.Join(append(append([]string{}, spec.Known...), spec.Secret...), ", "))
}

var nonEnvChar = regexp.MustCompile(`[^A-Za-z0-9_]+`)

func envName(option string) string {
	return strings.Trim(nonEnvChar.ReplaceAllString(option, "_"), "_")
}
