package snowflake

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"
)

// captureStderr runs fn with file descriptor 2's writes captured (the
// driver's default logger holds os.Stderr's *os.File, so swapping the
// variable is not enough).
func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := *os.Stderr
	*os.Stderr = *w
	fn()
	*os.Stderr = saved
	w.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}

// Finding 14: gosnowflake's own log lines (such as its telemetry error)
// reached the user's stderr on every Snowflake command.
func TestDriverLogsSilencedByDefault(t *testing.T) {
	SetDriverLogger(nil)
	if lvl := gosnowflake.GetLogger().GetLogLevel(); lvl != "OFF" {
		t.Errorf("driver log level = %q, want OFF", lvl)
	}
	out := captureStderr(t, func() {
		gosnowflake.GetLogger().Error("non-successful response from telemetry server: 403. disabling telemetry")
		gosnowflake.GetLogger().Errorf("failed to upload metrics to telemetry. err: %v", "x")
		gosnowflake.GetLogger().WithField("k", "v").Error("through an entry")
	})
	if out != "" {
		t.Errorf("driver wrote to stderr: %q", out)
	}
}

// With -v the driver's lines reach our slog logger at debug level.
func TestDriverLogsToSlogWhenVerbose(t *testing.T) {
	var buf bytes.Buffer
	SetDriverLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer SetDriverLogger(nil)
	out := captureStderr(t, func() {
		gosnowflake.GetLogger().Error("non-successful response from telemetry server: 403")
		gosnowflake.GetLogger().Debug("too chatty") // below the driver level
	})
	if out != "" {
		t.Errorf("driver wrote to stderr: %q", out)
	}
	got := buf.String()
	if !strings.Contains(got, "level=DEBUG") || !strings.Contains(got, "snowflake driver") || !strings.Contains(got, "non-successful response from telemetry server") {
		t.Errorf("slog got %q", got)
	}
	if strings.Contains(got, "too chatty") {
		t.Errorf("driver debug lines passed at level %s: %q", driverLevel, got)
	}
	if n := strings.Count(got, "\n"); n != 1 {
		t.Errorf("want one record, got %d: %q", n, got)
	}
}
