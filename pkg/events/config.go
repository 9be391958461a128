package events

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces every ${NAME} in s with the variable's value; an
// unset variable is an error that names it (never the value).
func expandEnv(s string) (string, error) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		v, ok := os.LookupEnv(name)
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("environment variable %s is not set", strings.Join(missing, ", "))
	}
	return out, nil
}

// literalPassword reports a URL whose password is written out instead of
// being an ${ENV} reference.
func literalPassword(raw string) bool {
	// Parse with the references replaced by a placeholder (braces do not
	// parse in a userinfo).
	u, err := url.Parse(envRef.ReplaceAllString(raw, "ENVREF"))
	if err != nil || u.User == nil {
		return false
	}
	pw, ok := u.User.Password()
	return ok && pw != "" && pw != "ENVREF"
}

// redactURL is a URL's scheme and host only, for logs and errors: no
// credentials, and no path (a chat webhook's path is its secret).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// Metrics of the bus, registered on a registry by RegisterMetrics.
var (
	metricConnected = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "databridge_events_connected",
		Help: "1 while this process receives other processes' events over the transport (redis or file), 0 while it is down.",
	}, []string{"transport"})
	metricPublished = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "databridge_events_published_total",
		Help: "Events published by this process, by transport and outcome (ok, error: the transport was not reached).",
	}, []string{"transport", "outcome"})
	metricReceived = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "databridge_events_received_total",
		Help: "Events received over the transport, by transport.",
	}, []string{"transport"})
	metricWebhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "databridge_events_webhook_deliveries_total",
		Help: "Webhook deliveries by outcome (ok, error).",
	}, []string{"outcome"})
)

// RegisterMetrics adds the bus's metrics to reg (the server's private
// registry, pkg/telemetry); registering twice is not an error.
func RegisterMetrics(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{metricConnected, metricPublished, metricReceived, metricWebhooks} {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return err
			}
		}
	}
	return nil
}
