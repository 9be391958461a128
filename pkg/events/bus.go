package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

// EnvRedisURL overrides the project's events.redis_url for one process.
const EnvRedisURL = "DATABRIDGE_REDIS_URL"

// Transport names, the label of the metrics.
const (
	TransportFile  = "file"
	TransportRedis = "redis"
)

// Bus is a project's event bus in one process: it publishes events to the
// process's subscribers, the journal file and (when configured) Redis,
// and, while Listen runs, delivers other processes' events to the
// subscribers too.
type Bus struct {
	project string
	dir     string // .databridge/
	src     Source
	journal *journal
	redis   *redisTransport // nil without Redis
	// configErr says why the configured Redis is not used (a bad URL).
	configErr error
	hooks     *webhooks

	mu     sync.Mutex
	subs   map[int]*subscription
	nextID int
	logger *slog.Logger
}

// Open returns a new bus for the project p: Redis when events.redis_url
// (or DATABRIDGE_REDIS_URL) is set, the journal file in any case. A Redis
// URL that cannot be used is an error.
func Open(p *project.Project) (*Bus, error) {
	b := newBus(p)
	return b, b.configErr
}

func newBus(p *project.Project) *Bus {
	b := &Bus{
		project: p.Config.Name,
		dir:     p.Dir,
		src:     process,
		journal: newJournal(p.Path(project.StateDir, "events")),
		hooks:   &webhooks{dir: p.Dir},
		subs:    map[int]*subscription{},
		logger:  slog.Default(),
	}
	url, err := redisURL(p)
	if err != nil {
		b.configErr = err
		return b
	}
	if url != "" {
		b.redis, b.configErr = newRedis(url, b.project)
	}
	return b
}

// redisURL is the Redis URL for p with its ${ENV} references expanded:
// DATABRIDGE_REDIS_URL, else config.yaml's events.redis_url, else "".
func redisURL(p *project.Project) (string, error) {
	if u := strings.TrimSpace(os.Getenv(EnvRedisURL)); u != "" {
		return u, nil
	}
	if p.Config.Events == nil || strings.TrimSpace(p.Config.Events.RedisURL) == "" {
		return "", nil
	}
	raw := strings.TrimSpace(p.Config.Events.RedisURL)
	if literalPassword(raw) {
		return "", errors.New("config.yaml events.redis_url: the password must be an ${ENV} reference (for example redis://:${DATABRIDGE_REDIS_PASSWORD}@host:6379/0), not a literal secret")
	}
	return expandEnv(raw)
}

var (
	busesMu sync.Mutex
	buses   = map[string]*Bus{}
)

// For is the process's bus for the project p, opened on first use and
// kept (one per project folder). A Redis URL that cannot be used is
// logged once and the bus keeps the journal file.
func For(p *project.Project) *Bus {
	busesMu.Lock()
	defer busesMu.Unlock()
	if b, ok := buses[p.Dir]; ok {
		return b
	}
	b := newBus(p)
	if b.configErr != nil {
		b.logger.Warn("events: Redis is not used", "error", b.configErr)
	}
	buses[p.Dir] = b
	return b
}

// Emit is the services' hook: it publishes an event of type t about data
// on the project's bus (For). It never fails the caller: a transport that
// cannot be reached is logged and counted.
func Emit(ctx context.Context, p *project.Project, t Type, data map[string]any) {
	if p == nil || p.Config == nil {
		return
	}
	b := For(p)
	if _, err := b.Publish(ctx, Event{Type: t, Data: data}); err != nil {
		b.log().Warn("events: publishing failed", "type", string(t), "error", err)
	}
}

// SetLogger sets where the bus logs (default slog.Default()).
func (b *Bus) SetLogger(l *slog.Logger) {
	if l == nil {
		return
	}
	b.mu.Lock()
	b.logger = l
	b.mu.Unlock()
}

func (b *Bus) log() *slog.Logger {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.logger
}

// Transport is how events reach other processes: "redis" or "file".
func (b *Bus) Transport() string {
	if b.redis != nil {
		return TransportRedis
	}
	return TransportFile
}

// Where says where events go, for people (a Redis address without its
// credentials, or the journal's path).
func (b *Bus) Where() string {
	if b.redis != nil {
		return "redis " + b.redis.addr + " channels " + b.redis.prefix + "*"
	}
	return b.journal.path
}

// Source is this process's identity on the bus.
func (b *Bus) Source() Source { return b.src }

// Publish stamps e (id, time, project, source, request id) and publishes
// it: to the journal file, to Redis when configured, to this process's
// subscribers and to the project's webhooks. The event is returned with
// whatever went wrong on the way (subscribers get it in any case).
func (b *Bus) Publish(ctx context.Context, e Event) (Event, error) {
	if e.Type == "" {
		return e, errors.New("events: an event needs a type")
	}
	e = stamp(ctx, e, b.project, b.src)
	var errs []error
	if err := b.journal.append(e); err != nil {
		errs = append(errs, fmt.Errorf("journal %s: %w", b.journal.path, err))
	}
	outcome := "ok"
	if b.redis != nil {
		if err := b.redis.publish(ctx, e); err != nil {
			outcome = "error"
			errs = append(errs, fmt.Errorf("redis %s: %w", b.redis.addr, err))
		}
	}
	metricPublished.WithLabelValues(b.Transport(), outcome).Inc()
	b.dispatch(e)
	if err := b.hooks.deliver(ctx, e, b.log()); err != nil {
		errs = append(errs, err)
	}
	return e, errors.Join(errs...)
}

// subscription delivers events to one subscriber in order, on its own
// goroutine, so a slow subscriber never holds up a publisher.
type subscription struct {
	ch   chan Event
	done chan struct{}
}

// subscriberQueue bounds the events waiting for one subscriber; beyond it
// events are dropped (and logged).
const subscriberQueue = 1024

// Subscribe calls fn with every event of the project this process sees:
// the ones it publishes and, while Listen runs, those of other processes.
// Events reach fn in order, one at a time, on a goroutine of its own. The
// returned function unsubscribes (events already queued are dropped).
func (b *Bus) Subscribe(fn func(Event)) (cancel func()) {
	s := &subscription{ch: make(chan Event, subscriberQueue), done: make(chan struct{})}
	b.mu.Lock()
	id := b.nextID
	b.nextID++
	b.subs[id] = s
	b.mu.Unlock()
	go func() {
		for {
			select {
			case <-s.done:
				return
			case e := <-s.ch:
				fn(e)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, id)
			b.mu.Unlock()
			close(s.done)
		})
	}
}

func (b *Bus) dispatch(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		select {
		case s.ch <- e:
		default:
			b.logger.Warn("events: a subscriber is too slow, event dropped", "type", string(e.Type), "id", e.ID)
		}
	}
}

// Listen receives the events other processes publish (over Redis, or
// from the journal file) and hands them to this process's subscribers,
// until ctx is cancelled. The bus's own events, coming back over the
// transport, are skipped (subscribers had them from Publish). While the
// transport is down the gauge databridge_events_connected{transport} is 0
// and the loss is logged; Listen reconnects by itself.
//
// When the transport comes back after being down, subscribers get a
// Reconnected event (local only): what was published meanwhile is lost.
func (b *Bus) Listen(ctx context.Context) error { return b.listen(ctx, nil) }

// listen is Listen; ready is called once the transport works.
func (b *Bus) listen(ctx context.Context, ready func()) error {
	return b.watch(ctx, func(e Event) {
		if e.Source.Process == b.src.Process {
			return
		}
		b.dispatch(e)
	}, ready, func() {
		b.dispatch(stamp(ctx, Event{Type: Reconnected, Data: map[string]any{"transport": b.Transport()}}, b.project, b.src))
	})
}

// Watch calls fn with every event that arrives over the transport from
// now on — including this process's own — until ctx is cancelled (then it
// returns nil). It is Listen without the subscribers: `events tail`.
func (b *Bus) Watch(ctx context.Context, fn func(Event)) error {
	return b.watch(ctx, fn, nil, nil)
}

// watch is Watch; ready, when set, is called once, when the transport
// first works; reconnected each time it works again after being down.
func (b *Bus) watch(ctx context.Context, fn func(Event), ready, reconnected func()) error {
	transport := b.Transport()
	connected := metricConnected.WithLabelValues(transport)
	var down bool
	status := func(ok bool, err error) {
		if ok {
			connected.Set(1)
			if b.redis != nil {
				b.redis.skipUntil.Store(0) // Redis answers: publish again
			}
			if ready != nil {
				ready()
				ready = nil
			}
			if down {
				b.log().Info("events: transport reconnected", "transport", transport, "where", b.Where())
				if reconnected != nil {
					reconnected()
				}
			}
			down = false
			return
		}
		connected.Set(0)
		if !down {
			b.log().Warn("events: transport down, events from other processes are not received until it is back", "transport", transport, "where", b.Where(), "error", err)
		}
		down = true
	}
	recv := func(e Event) {
		metricReceived.WithLabelValues(transport).Inc()
		fn(e)
	}
	defer connected.Set(0)
	if b.redis != nil {
		return b.redis.listen(ctx, recv, status)
	}
	return b.journal.follow(ctx, recv, status)
}

// Recent returns the last n events of the journal file, oldest first
// (what this machine's processes published; with Redis, the events of
// other machines are not in it).
func (b *Bus) Recent(n int) ([]Event, error) { return b.journal.recent(n) }

// reconnect backoff bounds.
const (
	backoffMin = 50 * time.Millisecond
	backoffMax = 2 * time.Second
)

func nextBackoff(d time.Duration) time.Duration {
	d *= 2
	if d > backoffMax {
		d = backoffMax
	}
	return d
}
