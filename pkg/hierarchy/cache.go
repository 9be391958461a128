package hierarchy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/databridge/databridge/pkg/project"
)

// cacheMinBytes: smaller files parse fast enough that a cache is not worth
// the extra file.
const cacheMinBytes = 256 << 10

// parseCached parses YAML, using and refreshing the parse cache for large
// files. The cache file is "<sha256 of the YAML>\n<JSON of the hierarchy>".
func (s *Store) parseCached(path string, data []byte) (*Hierarchy, error) {
	if s.CacheDir == "" || len(data) < cacheMinBytes {
		return Parse(path, data)
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	cpath := filepath.Join(s.CacheDir, strings.TrimSuffix(filepath.Base(path), ".yaml")+"."+filepath.Base(filepath.Dir(path))+".json")
	if c, err := os.ReadFile(cpath); err == nil {
		if nl := bytes.IndexByte(c, '\n'); nl == len(key) && string(c[:nl]) == key {
			var h Hierarchy
			if json.Unmarshal(c[nl+1:], &h) == nil {
				return &h, nil
			}
		}
	}
	h, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if js, err := json.Marshal(h); err == nil {
		buf := make([]byte, 0, len(key)+1+len(js))
		buf = append(append(append(buf, key...), '\n'), js...)
		_ = project.WriteFileAtomic(cpath, buf, 0o644) // best effort
	}
	return h, nil
}
