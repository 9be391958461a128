package events

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/project"
)

// Service is the events service of a project: what `databridge events …`
// calls (tail, webhook add/list/remove).
type Service struct {
	Project *project.Project
	// Now is the clock (tests pin it).
	Now func() time.Time
}

// NewService returns the events service of a project.
func NewService(p *project.Project) *Service {
	return &Service{Project: p, Now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

// TailInput selects the events `events tail` shows.
type TailInput struct {
	// Types keeps only these types (empty = all).
	Types []Type `json:"types,omitempty"`
	// History first shows the last History events of the local journal.
	History int `json:"history,omitempty"`
	// Count stops after this many events, history included (0 = until
	// cancelled).
	Count int `json:"count,omitempty"`
}

// TailInfo says where a tail reads from.
type TailInfo struct {
	Transport string `json:"transport"`
	Where     string `json:"where"`
}

// Tail calls fn with the project's events as they happen — from every
// process, over Redis or the journal file — until ctx is cancelled, fn
// fails or in.Count events were shown. ready, when set, is called
// once the subscription is in place (with where it reads from).
func (s *Service) Tail(ctx context.Context, in TailInput, ready func(TailInfo), fn func(Event) error) error {
	for _, t := range in.Types {
		if !Known(t) {
			return fmt.Errorf("unknown event type %q (known: %s)", t, joinTypes(Types()))
		}
	}
	b, err := Open(s.Project)
	if err != nil {
		return err
	}
	want := func(e Event) bool {
		if len(in.Types) == 0 {
			return true
		}
		for _, t := range in.Types {
			if t == e.Type {
				return true
			}
		}
		return false
	}
	shown := 0
	if in.History > 0 {
		old, err := b.Recent(in.History)
		if err != nil {
			return err
		}
		for _, e := range old {
			if want(e) {
				if err := fn(e); err != nil {
					return err
				}
				if shown++; in.Count > 0 && shown >= in.Count {
					return nil
				}
			}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ferr error
	show := func(e Event) {
		if ctx.Err() != nil || !want(e) {
			return
		}
		if err := fn(e); err != nil {
			ferr = err
			cancel()
			return
		}
		shown++
		if in.Count > 0 && shown >= in.Count {
			cancel()
		}
	}
	var up func()
	if ready != nil {
		up = func() { ready(TailInfo{Transport: b.Transport(), Where: b.Where()}) }
	}
	err = b.watch(ctx, show, up, nil)
	if ferr != nil {
		return ferr
	}
	return err
}

func joinTypes(ts []Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// WebhookInput adds a webhook.
type WebhookInput struct {
	URL       string   `json:"url"`
	SecretEnv string   `json:"secret_env,omitempty"`
	Types     []string `json:"types,omitempty"`
}

var envName = func(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// AddWebhook adds a webhook to .databridge/webhooks.yaml. The secret is
// named, never given: SecretEnv is the environment variable that holds it
// in the processes that publish events.
func (s *Service) AddWebhook(ctx context.Context, in WebhookInput) (*Webhook, error) {
	in.URL = strings.TrimSpace(in.URL)
	if err := checkWebhookURL(in.URL); err != nil {
		return nil, err
	}
	if u := envRef.ReplaceAllString(in.URL, ""); literalPassword(u) {
		return nil, errors.New("the URL holds a password: put the whole URL in an environment variable and give ${NAME}")
	}
	in.SecretEnv = strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(in.SecretEnv), "${"), "}"), "$")
	if in.SecretEnv != "" && !envName(in.SecretEnv) {
		return nil, fmt.Errorf("--secret-env takes the NAME of an environment variable (letters, digits, _), not %q", "the secret itself")
	}
	h := Webhook{URL: in.URL, SecretEnv: in.SecretEnv, CreatedAt: s.Now()}
	for _, t := range in.Types {
		t := Type(strings.TrimSpace(t))
		if !Known(t) {
			return nil, fmt.Errorf("unknown event type %q (known: %s)", t, joinTypes(Types()))
		}
		h.Types = append(h.Types, t)
	}
	var r [4]byte
	_, _ = rand.Read(r[:])
	h.ID = "wh_" + hex.EncodeToString(r[:])
	err := s.updateWebhooks(ctx, func(hs []Webhook) ([]Webhook, error) {
		for _, x := range hs {
			if x.URL == h.URL {
				return nil, fmt.Errorf("webhook %s already posts to this URL (remove it first to change it)", x.ID)
			}
		}
		return append(hs, h), nil
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// Webhooks lists the project's webhooks.
func (s *Service) Webhooks() ([]Webhook, error) {
	hs, err := (&webhooks{dir: s.Project.Dir}).load()
	if hs == nil && err == nil {
		hs = []Webhook{}
	}
	return hs, err
}

// ErrNoWebhook is returned for an unknown webhook id.
var ErrNoWebhook = errors.New("no such webhook")

// RemoveWebhook removes a webhook by id and returns it.
func (s *Service) RemoveWebhook(ctx context.Context, id string) (*Webhook, error) {
	id = strings.TrimSpace(id)
	var gone *Webhook
	err := s.updateWebhooks(ctx, func(hs []Webhook) ([]Webhook, error) {
		var ids []string
		for i, x := range hs {
			if x.ID == id {
				gone = &hs[i]
				return append(append([]Webhook{}, hs[:i]...), hs[i+1:]...), nil
			}
			ids = append(ids, x.ID)
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("%w %q: there are no webhooks", ErrNoWebhook, id)
		}
		return nil, fmt.Errorf("%w %q (known: %s)", ErrNoWebhook, id, strings.Join(ids, ", "))
	})
	if err != nil {
		return nil, err
	}
	return gone, nil
}

// updateWebhooks rewrites webhooks.yaml under the project lock.
func (s *Service) updateWebhooks(ctx context.Context, fn func([]Webhook) ([]Webhook, error)) error {
	unlock, err := s.Project.Lock(ctx, 0)
	if err != nil {
		return err
	}
	defer unlock()
	w := &webhooks{dir: s.Project.Dir}
	hs, err := w.load()
	if err != nil {
		return err
	}
	hs, err = fn(hs)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("# Webhooks that databridge posts every event to (signed with HMAC-SHA256 when\n# secret_env names the variable holding the secret). Managed with\n# `databridge events webhook add|list|remove`.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(webhookFile{Webhooks: hs}); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return project.WriteFileAtomic(w.path(), buf.Bytes(), 0o644)
}
