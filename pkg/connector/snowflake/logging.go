package snowflake

import (
	"bytes"
	"log/slog"
	"sync/atomic"

	"github.com/snowflakedb/gosnowflake"
)

// gosnowflake logs through a package-wide logrus logger that writes to
// stderr at info level, so every command that touched Snowflake printed
// lines such as "non-successful response from telemetry server" at error
// level in the user's output. Driver logs are diagnostics: from init on the
// driver's logger is off, and SetDriverLogger (the CLI's -v) turns it on at
// info level with each line passed to a slog logger at debug level. The
// driver's own formatter still runs, so its secret masking applies.

// driverLogger is the gosnowflake logger installed at init; its output is
// driverSink. Its level is switched, never the logger itself, so no
// connection ever sees the package logger change under it.
var driverLogger gosnowflake.SFLogger

// driverTarget is where driver lines go; nil drops them.
var driverTarget atomic.Pointer[slog.Logger]

// driverLevel is the gosnowflake level while a target is set.
const driverLevel = "info"

func init() {
	driverLogger = gosnowflake.CreateDefaultLogger()
	driverLogger.SetOutput(driverSink{})
	_ = driverLogger.SetLogLevel("error") // also the logrus level, for entries that bypass "OFF"
	_ = driverLogger.SetLogLevel("OFF")
	gosnowflake.SetLogger(&driverLogger)
}

// SetDriverLogger sends gosnowflake's log lines to l at debug level; nil
// (the default) silences the driver.
func SetDriverLogger(l *slog.Logger) {
	driverTarget.Store(l)
	if l == nil {
		_ = driverLogger.SetLogLevel("OFF")
		return
	}
	_ = driverLogger.SetLogLevel(driverLevel)
}

// driverSink passes each formatted driver line to the target logger.
type driverSink struct{}

func (driverSink) Write(p []byte) (int, error) {
	if l := driverTarget.Load(); l != nil {
		for _, line := range bytes.Split(bytes.TrimRight(p, "\n"), []byte("\n")) {
			l.Debug("snowflake driver", "log", string(line))
		}
	}
	return len(p), nil
}
