package warehouse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Role is an object's place in the design.
type Role string

// Object roles.
const (
	RoleHierarchy Role = "TBL_0"         // the hierarchy, one row per node
	RoleMapping   Role = "TBL_0_MAPPING" // its mapping rules as rows
	RoleView      Role = "VW_1"          // rules resolved against node levels
	RoleJoined    Role = "DT_2"          // fact rows joined to their leaf
	RoleAggregate Role = "DT_3A"         // pre-aggregation by leaf and groups
	RoleFinal     Role = "DT_3"          // the statement: rollups and formulas
	// Seam for the canonical model (semantic analysis): staging views,
	// dimensions, facts.
	RoleStaging   Role = "staging"
	RoleDimension Role = "dimension"
	RoleFact      Role = "fact"
)

// Kind is what the object is on the target engine.
type Kind string

// Object kinds.
const (
	KindTable            Kind = "table"
	KindView             Kind = "view"
	KindDynamicTable     Kind = "dynamic_table"
	KindMaterializedView Kind = "materialized_view"
)

// Object is one generated warehouse object.
type Object struct {
	Name      string   `json:"name"`
	Schema    string   `json:"schema,omitempty"`
	Kind      Kind     `json:"kind"`
	Role      Role     `json:"role"`
	Engine    string   `json:"engine"`
	Hierarchy string   `json:"hierarchy,omitempty"`
	DependsOn []string `json:"depends_on"`
	// DDL creates (or replaces) the object; Load fills it (empty for
	// objects that compute themselves: views, dynamic tables, CTAS).
	DDL  []string `json:"ddl"`
	Load []string `json:"load"`
	// Checksum is the SHA-256 of the DDL and load statements.
	Checksum string `json:"checksum"`
	// File is the script file the object is written to.
	File string `json:"file"`
	// Columns lists the object's output columns (for docs and tests).
	Columns []string `json:"columns,omitempty"`
	// SourceVersion fingerprints the file a staging table reads (see
	// Source.Version); it is part of the checksum, not of the SQL.
	SourceVersion string `json:"source_version,omitempty"`
}

// QualifiedName is schema.name (or name).
func (o *Object) QualifiedName() string {
	if o.Schema == "" {
		return o.Name
	}
	return o.Schema + "." + o.Name
}

func (o *Object) sum() { o.Checksum = o.ComputeChecksum() }

// ComputeChecksum is the SHA-256 of the object's DDL and load statements.
func (o *Object) ComputeChecksum() string {
	h := sha256.New()
	for _, s := range o.DDL {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte{1})
	for _, s := range o.Load {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if o.SourceVersion != "" {
		h.Write([]byte{2})
		h.Write([]byte(o.SourceVersion))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Script files, executed in this order.
const (
	FileDimensions    = "01_dimensions.sql"
	FileFacts         = "02_facts.sql"
	FileViews         = "03_views.sql"
	FileDynamicTables = "04_dynamic_tables.sql"
	FileGrants        = "05_grants.sql"
)

// Files lists the script files in execution order.
var Files = []string{FileDimensions, FileFacts, FileViews, FileDynamicTables, FileGrants}

// Design is the full set of objects for one engine, in dependency order.
type Design struct {
	Dialect string    `json:"dialect"`
	Schema  string    `json:"schema,omitempty"`
	Objects []*Object `json:"objects"`
	// Order is the topological order of object names.
	Order []string `json:"order"`
	// Grants are GRANT statements, after every object.
	Grants []string `json:"grants"`
	// Notes say what could not be generated for this engine and why.
	Notes []string `json:"notes,omitempty"`
}

// Object finds an object by name (case-insensitive).
func (d *Design) Object(name string) *Object {
	for _, o := range d.Objects {
		if strings.EqualFold(o.Name, name) || strings.EqualFold(o.QualifiedName(), name) {
			return o
		}
	}
	return nil
}

// sortTopological orders objects so each comes after its dependencies,
// keeping the given order among independent objects; a cycle or an unknown
// dependency is an error.
func sortTopological(objs []*Object) ([]*Object, error) {
	idx := map[string]int{}
	for i, o := range objs {
		if _, dup := idx[o.Name]; dup {
			return nil, fmt.Errorf("two objects are named %s", o.Name)
		}
		idx[o.Name] = i
	}
	indeg := make([]int, len(objs))
	out := make([][]int, len(objs))
	for i, o := range objs {
		for _, d := range o.DependsOn {
			j, ok := idx[d]
			if !ok {
				return nil, fmt.Errorf("%s depends on unknown object %s", o.Name, d)
			}
			indeg[i]++
			out[j] = append(out[j], i)
		}
	}
	var ready []int
	for i := range objs {
		if indeg[i] == 0 {
			ready = append(ready, i)
		}
	}
	var sorted []*Object
	for len(ready) > 0 {
		sort.Ints(ready)
		i := ready[0]
		ready = ready[1:]
		sorted = append(sorted, objs[i])
		for _, j := range out[i] {
			indeg[j]--
			if indeg[j] == 0 {
				ready = append(ready, j)
			}
		}
	}
	if len(sorted) != len(objs) {
		var stuck []string
		for i, d := range indeg {
			if d > 0 {
				stuck = append(stuck, objs[i].Name)
			}
		}
		return nil, fmt.Errorf("object dependencies form a cycle among %s", strings.Join(stuck, ", "))
	}
	return sorted, nil
}
