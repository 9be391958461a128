package events

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/project"
)

// WebhooksFile is the webhook list under .databridge/ (YAML, meant to be
// reviewed and committed: it holds URLs and the names of the environment
// variables with the secrets, never a secret).
const WebhooksFile = "webhooks.yaml"

// Signature headers of a webhook delivery.
const (
	// SignatureHeader is "sha256=" and the hex HMAC-SHA256 of the body
	// with the webhook's secret.
	SignatureHeader = "X-Databridge-Signature"
	EventHeader     = "X-Databridge-Event"
	DeliveryHeader  = "X-Databridge-Delivery"
)

// Webhook is one endpoint events are posted to.
type Webhook struct {
	ID string `json:"id" yaml:"id"`
	// URL may hold ${ENV} references (a chat webhook's URL is a secret).
	URL string `json:"url" yaml:"url"`
	// SecretEnv names the environment variable holding the HMAC secret
	// ("" = deliveries are not signed).
	SecretEnv string `json:"secret_env,omitempty" yaml:"secret_env,omitempty"`
	// Types limits the events posted (empty = all).
	Types     []Type    `json:"types,omitempty" yaml:"types,omitempty"`
	CreatedAt time.Time `json:"created_at" yaml:"created_at"`
}

type webhookFile struct {
	Webhooks []Webhook `yaml:"webhooks"`
}

// webhooks delivers a project's events to its webhooks.
type webhooks struct {
	dir string // .databridge/
}

func (w *webhooks) path() string { return filepath.Join(w.dir, WebhooksFile) }

func (w *webhooks) load() ([]Webhook, error) {
	data, err := os.ReadFile(w.path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f webhookFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, project.YAMLError(w.path(), err)
	}
	return f.Webhooks, nil
}

// Sign is the signature header's value for body with secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is body's signature with secret
// (constant-time).
func Verify(secret, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(header))
}

// webhookTimeout bounds one delivery attempt; webhookAttempts attempts are
// made when the endpoint fails (5xx) or cannot be reached.
var (
	webhookTimeout  = 3 * time.Second
	webhookAttempts = 2
	webhookClient   = &http.Client{Timeout: webhookTimeout}
)

// deliver posts e to every webhook that wants it, at once, and waits for
// them. Failures are logged (with the endpoint's host only) and returned.
func (w *webhooks) deliver(ctx context.Context, e Event, logger *slog.Logger) error {
	hooks, err := w.load()
	if err != nil || len(hooks) == 0 {
		return err
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(hooks))
	for i, h := range hooks {
		if !h.wants(e.Type) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := h.post(context.WithoutCancel(ctx), e, body)
			outcome := "ok"
			if err != nil {
				outcome = "error"
				errs[i] = fmt.Errorf("webhook %s: %w", h.ID, err)
				logger.Warn("events: webhook delivery failed", "webhook", h.ID, "endpoint", redactURL(h.URL), "type", string(e.Type), "error", err)
			}
			metricWebhooks.WithLabelValues(outcome).Inc()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (h Webhook) wants(t Type) bool {
	if len(h.Types) == 0 {
		return true
	}
	for _, x := range h.Types {
		if x == t {
			return true
		}
	}
	return false
}

// post sends one delivery, retrying a 5xx or an unreachable endpoint.
// Errors name the endpoint's host and the status, never the URL's path or
// the secret.
func (h Webhook) post(ctx context.Context, e Event, body []byte) error {
	target, err := expandEnv(h.URL)
	if err != nil {
		return fmt.Errorf("url: %w", err)
	}
	var sig string
	if h.SecretEnv != "" {
		secret, ok := os.LookupEnv(h.SecretEnv)
		if !ok || secret == "" {
			return fmt.Errorf("the secret's environment variable %s is not set: not delivered unsigned", h.SecretEnv)
		}
		sig = Sign([]byte(secret), body)
	}
	wait := 200 * time.Millisecond
	var last error
	for attempt := 0; attempt < webhookAttempts; attempt++ {
		if attempt > 0 {
			time.Sleep(wait)
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("bad url for %s", redactURL(target))
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "databridge-webhook")
		req.Header.Set(EventHeader, string(e.Type))
		req.Header.Set(DeliveryHeader, e.ID)
		if sig != "" {
			req.Header.Set(SignatureHeader, sig)
		}
		resp, err := webhookClient.Do(req)
		if err != nil {
			// The client's error quotes the URL: keep the host only.
			last = fmt.Errorf("POST %s: cannot reach the endpoint", redactURL(target))
			var ue *url.Error
			if errors.As(err, &ue) && ue.Timeout() {
				last = fmt.Errorf("POST %s: timed out", redactURL(target))
			}
			continue
		}
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		last = fmt.Errorf("POST %s: %s", redactURL(target), resp.Status)
		if resp.StatusCode < 500 {
			return last
		}
	}
	return last
}

// checkWebhookURL accepts http(s) URLs with a host, or URLs that are
// ${ENV} references (checked when delivered).
func checkWebhookURL(raw string) error {
	if strings.Contains(raw, "${") {
		if envRef.FindString(raw) == "" {
			return errors.New("the URL has a malformed ${ENV} reference")
		}
		if !strings.HasPrefix(raw, "${") {
			raw = envRef.ReplaceAllString(raw, "x")
		} else {
			return nil
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("the URL must be http:// or https:// with a host (or an ${ENV} reference holding one)")
	}
	return nil
}
