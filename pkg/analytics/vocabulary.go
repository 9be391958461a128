package analytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/semlayer"
)

// MembersFile holds the member values of the layer's categorical
// dimensions, read from the warehouse at refresh: the question parser
// matches them in questions without querying the warehouse per question.
const MembersFile = "state/semantic/members.json"

// MaxMembers is the most distinct values a dimension may have for its
// members to be matched in questions (more: an identifier, not a member
// list).
const MaxMembers = 5000

// Members are the distinct values of each member dimension, keyed by the
// dimension's public name (semlayer.Layer.Dimensions).
type Members map[string][]string

func (m Members) count() int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

type vocabCache struct {
	layer   *semlayer.Layer
	members Members
}

// loadMembers reads the distinct values of every visible categorical
// dimension marked members, and writes them to MembersFile.
func (s *Service) loadMembers(ctx context.Context, conn connector.Connector, l *semlayer.Layer) (Members, error) {
	out := Members{}
	var problems []string
	for _, ref := range l.Dimensions() {
		x := ref.Dim
		if x.Hidden || x.Type != "categorical" || !x.Members {
			continue
		}
		m := l.Model(ref.Model)
		if m == nil {
			continue
		}
		col := d.C(x.Column)
		q := &d.Select{Distinct: true, Columns: []d.SelectItem{d.As(col, "v")}, From: d.Table{Name: d.Name{Schema: m.Schema, Name: m.Table}},
			Where: &d.IsNull{X: col, Not: true}, Limit: MaxMembers + 1}
		sql, err := d.RenderQuery(l.Dialect, q)
		if err != nil {
			return nil, err
		}
		res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: MaxMembers + 1, Timeout: time.Minute})
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", ref.Name, err))
			continue
		}
		if len(res.Rows) > MaxMembers {
			continue
		}
		vals := make([]string, 0, len(res.Rows))
		for _, r := range res.Rows {
			if s := cellText(r[0]); s != "" {
				vals = append(vals, s)
			}
		}
		sort.Strings(vals)
		out[ref.Name] = vals
	}
	if err := writeJSON(s.path(MembersFile), out); err != nil {
		return out, err
	}
	if len(problems) > 0 {
		return out, errors.New(strings.Join(problems, "; "))
	}
	return out, nil
}

// Members returns the member values saved by the last refresh.
func (s *Service) Members() (Members, error) {
	data, err := os.ReadFile(s.path(MembersFile))
	if errors.Is(err, os.ErrNotExist) {
		return Members{}, nil
	}
	if err != nil {
		return nil, err
	}
	var m Members
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf(".databridge/%s: %w (run `databridge analytics refresh`)", MembersFile, err)
	}
	return m, nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

func cellText(v any) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(plain(v)))
}
