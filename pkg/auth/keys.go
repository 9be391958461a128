package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

// KeyPrefix starts every API key: dbk_<id>_<secret>.
const KeyPrefix = "dbk_"

// keyPattern finds API keys in text (for redaction).
var keyPattern = regexp.MustCompile(`dbk_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}`)

// Key is a stored API key: never the key itself, only its SHA-256 hash.
type Key struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Role    string     `json:"role"`
	Hash    string     `json:"sha256"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// KeyInfo is a key as `auth key list` shows it (no hash).
type KeyInfo struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Role    string     `json:"role"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"`
	Revoked *time.Time `json:"revoked,omitempty"`
	Status  string     `json:"status"` // active, expired, revoked
}

// CreatedKey is the result of creating a key: the only time the key is
// shown.
type CreatedKey struct {
	KeyInfo
	Key string `json:"key"`
}

// Errors of key verification. Each wraps nothing from the token: a key
// never appears in an error.
var (
	ErrUnknownKey = errors.New("unknown API key")
	ErrKeyRevoked = errors.New("API key revoked")
	ErrKeyExpired = errors.New("API key expired")
)

// KeyStore is .databridge/state/auth/keys.json. Verification re-reads the
// file when it changes, so a key revoked by the CLI is refused by a
// running server at its next request.
type KeyStore struct {
	path string
	now  func() time.Time

	mu    sync.Mutex
	keys  []Key
	stamp string // size and modification time of the file last read
}

// KeysPath is where a project's keys are kept.
func KeysPath(root string) string {
	return filepath.Join(root, project.DirName, project.StateDir, "auth", "keys.json")
}

// OpenKeys opens the key store of the project at root.
func OpenKeys(root string) *KeyStore {
	return &KeyStore{path: KeysPath(root), now: time.Now}
}

func (s *KeyStore) load() error {
	fi, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.keys, s.stamp = nil, ""
		return nil
	}
	if err != nil {
		return err
	}
	stamp := strconv.FormatInt(fi.Size(), 10) + "@" + fi.ModTime().Format(time.RFC3339Nano)
	if stamp == s.stamp {
		return nil
	}
	b, err := os.ReadFile(s.path)
	if err != nil {
		return err
	}
	var f struct {
		Keys []Key `json:"keys"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	s.keys, s.stamp = f.Keys, stamp
	return nil
}

func (s *KeyStore) save() error {
	b, err := json.MarshalIndent(struct {
		Keys []Key `json:"keys"`
	}{s.keys}, "", "  ")
	if err != nil {
		return err
	}
	if err := project.WriteFileAtomic(s.path, append(b, '\n'), 0o600); err != nil {
		return err
	}
	s.stamp = "" // re-read on next use
	return nil
}

// Create makes a key for name with role, valid for ttl (0: no expiry), and
// returns it with the key in clear, which is not kept anywhere.
func (s *KeyStore) Create(name, role string, ttl time.Duration) (*CreatedKey, error) {
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t\n/") {
		return nil, fmt.Errorf("invalid key name %q: use letters, digits, - _ .", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	for _, k := range s.keys {
		if k.Name == name && k.status(now) == "active" {
			return nil, fmt.Errorf("an active key named %q exists; revoke it first or choose another name", name)
		}
	}
	var idb [6]byte
	var secret [32]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(idb[:])
	token := KeyPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(secret[:])
	sum := sha256.Sum256([]byte(token))
	k := Key{ID: id, Name: name, Role: role, Hash: hex.EncodeToString(sum[:]), Created: now.Truncate(time.Second)}
	if ttl > 0 {
		exp := now.Add(ttl).Truncate(time.Second)
		k.Expires = &exp
	}
	s.keys = append(s.keys, k)
	if err := s.save(); err != nil {
		return nil, err
	}
	return &CreatedKey{KeyInfo: k.info(now), Key: token}, nil
}

// List returns every key, newest first.
func (s *KeyStore) List() ([]KeyInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	out := make([]KeyInfo, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, k.info(now))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

// Revoke revokes the active key called name (or whose id is name).
func (s *KeyStore) Revoke(name string) (*KeyInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	for i, k := range s.keys {
		if (k.Name == name || k.ID == name) && k.Revoked == nil {
			t := now.Truncate(time.Second)
			s.keys[i].Revoked = &t
			if err := s.save(); err != nil {
				return nil, err
			}
			info := s.keys[i].info(now)
			return &info, nil
		}
	}
	return nil, fmt.Errorf("no key named %q that is not already revoked (see `databridge auth key list`)", name)
}

// Verify checks an API key and returns the stored key. The hash is
// compared in constant time; an unknown id still costs one comparison.
func (s *KeyStore) Verify(token string) (*Key, error) {
	id, ok := keyID(token)
	sum := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("reading API keys: %w", err)
	}
	var found *Key
	want := make([]byte, sha256.Size)
	for i := range s.keys {
		if ok && s.keys[i].ID == id {
			found = &s.keys[i]
			if h, err := hex.DecodeString(found.Hash); err == nil && len(h) == sha256.Size {
				want = h
			}
			break
		}
	}
	match := subtle.ConstantTimeCompare(sum[:], want) == 1
	if found == nil || !match {
		return nil, ErrUnknownKey
	}
	now := s.now()
	switch {
	case found.Revoked != nil:
		return nil, ErrKeyRevoked
	case found.Expires != nil && !now.Before(*found.Expires):
		return nil, ErrKeyExpired
	}
	k := *found
	return &k, nil
}

// keyID extracts the id of dbk_<id>_<secret>.
func keyID(token string) (string, bool) {
	rest, ok := strings.CutPrefix(token, KeyPrefix)
	if !ok {
		return "", false
	}
	id, secret, ok := strings.Cut(rest, "_")
	return id, ok && len(id) == 12 && secret != ""
}

// LooksLikeKey reports whether a bearer token has the API key shape.
func LooksLikeKey(token string) bool { return strings.HasPrefix(token, KeyPrefix) }

func (k Key) status(now time.Time) string {
	switch {
	case k.Revoked != nil:
		return "revoked"
	case k.Expires != nil && !now.Before(*k.Expires):
		return "expired"
	}
	return "active"
}

func (k Key) info(now time.Time) KeyInfo {
	return KeyInfo{ID: k.ID, Name: k.Name, Role: k.Role, Created: k.Created, Expires: k.Expires, Revoked: k.Revoked, Status: k.status(now)}
}

// ParseTTL reads --expires: a number of days ("90d"), a Go duration
// ("12h"), or "never"/"0"/"" for no expiry.
func ParseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "", "0", "never", "none":
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("invalid --expires %q: want a number of days such as 90d, a duration such as 12h, or never", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid --expires %q: want a number of days such as 90d, a duration such as 12h, or never", s)
	}
	return d, nil
}

// Active counts the keys that are neither revoked nor expired.
func (s *KeyStore) Active() (int, error) {
	keys, err := s.List()
	n := 0
	for _, k := range keys {
		if k.Status == "active" {
			n++
		}
	}
	return n, err
}
