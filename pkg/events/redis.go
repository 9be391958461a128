package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// ChannelPrefix is the prefix of a project's Redis channels; an event of
// type T is published on ChannelPrefix(project)+T.
func ChannelPrefix(project string) string { return "databridge:" + project + ":" }

// Redis timeouts: a CLI command publishing to a Redis that is down gives
// up quickly, and a subscriber notices a dead connection within a ping.
var (
	redisTimeout = 2 * time.Second
	redisPing    = 2 * time.Second
)

// quietRedis drops go-redis's own log lines (printed on stderr, one per
// failed dial): the bus reports the transport's state itself, once per
// change, in its logs and on the connected gauge.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...interface{}) {}

func init() { redis.SetLogger(quietRedis{}) }

type redisTransport struct {
	client *redis.Client
	prefix string
	addr   string // host:port, never the credentials
	// skipUntil (unix ns): after a failed publish, later publishes of this
	// process fail at once for redisSkip instead of each waiting for the
	// timeout (a command publishing many events with Redis gone).
	skipUntil atomic.Int64
}

// redisSkip is how long publishing is not attempted after a failure.
var redisSkip = 10 * time.Second

func newRedis(rawURL, project string) (*redisTransport, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		// The parser's error may quote the URL: say only where.
		return nil, fmt.Errorf("events redis URL %s is not a redis:// or rediss:// URL", redactURL(rawURL))
	}
	opt.DialTimeout = redisTimeout
	opt.ReadTimeout = redisTimeout
	opt.WriteTimeout = redisTimeout
	opt.MaxRetries = -1 // no retries: a publisher gives up after one timeout
	// Pub/sub wants RESP2-style push messages; the handshake's CLIENT
	// SETINFO is not needed.
	opt.DisableIdentity = true
	return &redisTransport{client: redis.NewClient(opt), prefix: ChannelPrefix(project), addr: opt.Addr}, nil
}

func (r *redisTransport) publish(ctx context.Context, e Event) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if until := r.skipUntil.Load(); time.Now().UnixNano() < until {
		return fmt.Errorf("not attempted: publishing failed less than %s ago", redisSkip)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), redisTimeout)
	defer cancel()
	if err := r.client.Publish(ctx, r.prefix+string(e.Type), data).Err(); err != nil {
		r.skipUntil.Store(time.Now().Add(redisSkip).UnixNano())
		return err
	}
	return nil
}

// globEscape escapes Redis's glob characters in a literal.
func globEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// listen subscribes to the project's channels and calls fn with each
// event until ctx is cancelled. A lost connection (Redis killed, network
// gone) is noticed by a ping at most redisPing after the last message,
// reported to status, and retried with backoff until Redis is back.
func (r *redisTransport) listen(ctx context.Context, fn func(Event), status func(bool, error)) error {
	pattern := globEscape(r.prefix) + "*"
	wait := backoffMin
	for ctx.Err() == nil {
		err := r.session(ctx, pattern, fn, func() { wait = backoffMin; status(true, nil) })
		if ctx.Err() != nil {
			return nil
		}
		status(false, err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = nextBackoff(wait)
	}
	return nil
}

// session is one subscription, from subscribing to the connection's loss.
func (r *redisTransport) session(ctx context.Context, pattern string, fn func(Event), up func()) error {
	ps := r.client.PSubscribe(ctx)
	defer ps.Close()
	if err := ps.PSubscribe(ctx, pattern); err != nil {
		return err
	}
	// The subscription's confirmation proves the connection.
	msg, err := ps.ReceiveTimeout(ctx, redisTimeout)
	if err != nil {
		return err
	}
	if _, ok := msg.(*redis.Subscription); !ok {
		return fmt.Errorf("unexpected reply to PSUBSCRIBE: %T", msg)
	}
	up()
	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, redisPing)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !pinged {
				// Quiet for a while: make sure the connection is alive.
				if err := ps.Ping(ctx); err != nil {
					return err
				}
				pinged = true
				continue
			}
			return err
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Message:
			var e Event
			if err := json.Unmarshal([]byte(m.Payload), &e); err != nil || e.Type == "" {
				continue // not ours
			}
			fn(e)
		case *redis.Pong, *redis.Subscription:
		}
	}
}
