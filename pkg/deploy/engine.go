package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/warehouse"
)

// Transactional reports whether DDL on the dialect takes part in
// transactions, so a whole deployment can be one transaction.
func Transactional(d string) bool { return dialect.Capabilities(d).TransactionalDDL }

// checksum is the object's checksum, computed like warehouse does for
// objects built by hand without one.
func checksum(o *warehouse.Object) string {
	if o.Checksum != "" {
		return o.Checksum
	}
	return o.ComputeChecksum()
}

func key(schema, name string) string { return strings.ToLower(schema) + "." + strings.ToLower(name) }

func objKey(o *warehouse.Object) string { return key(o.Schema, o.Name) }

// catalogue is what exists in the target: kind by key(schema, name).
type catalogue map[string]string

// readCatalogue lists the relations of the given schemas ("" is the
// connection's default schema). A schema that does not exist is empty.
func readCatalogue(ctx context.Context, conn connector.Connector, schemas []string) (catalogue, error) {
	out := catalogue{}
	var known map[string]bool
	for _, s := range uniq(schemas) {
		if s != "" {
			if known == nil {
				ss, err := conn.Schemas(ctx)
				if err != nil {
					return nil, fmt.Errorf("target %s: list schemas: %w", conn.Name(), err)
				}
				known = map[string]bool{}
				for _, x := range ss {
					known[strings.ToLower(x.Name)] = true
				}
			}
			if !known[strings.ToLower(s)] {
				continue
			}
		}
		ts, err := conn.Tables(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", conn.Name(), err)
		}
		for _, t := range ts {
			out[key(s, t.Name)] = normKind(t.Kind)
		}
	}
	return out, nil
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// normKind maps catalogue kinds to warehouse kinds.
func normKind(k string) string {
	k = strings.ToLower(strings.ReplaceAll(k, " ", "_"))
	switch k {
	case "base_table", "":
		return string(warehouse.KindTable)
	}
	return k
}

// isView reports whether a kind is a view (definition only, no rows).
func isView(kind string) bool { return kind == string(warehouse.KindView) }

func dropKind(kind string) dialect.ObjectKind {
	switch kind {
	case string(warehouse.KindView):
		return dialect.KindView
	case string(warehouse.KindMaterializedView):
		return dialect.KindMaterializedView
	case string(warehouse.KindDynamicTable):
		return dialect.KindDynamicTable
	}
	return dialect.KindTable
}

func dname(schema, name string) dialect.Name {
	if schema == "" {
		return dialect.N(name)
	}
	return dialect.N(schema, name)
}

// dropSQL is DROP <kind> IF EXISTS for an object of the given kind.
func dropSQL(d, schema, name, kind string) (string, error) {
	return dialect.Render(d, &dialect.Drop{Kind: dropKind(kind), Name: dname(schema, name), IfExists: true})
}

func qname(d, schema, name string) string {
	if schema == "" {
		return dialect.QuoteIdent(d, name)
	}
	return dialect.QuoteIdent(d, schema) + "." + dialect.QuoteIdent(d, name)
}

// backupName is the table a replaced or dropped table is renamed to while
// a non-transactional deployment runs: <name>__db_bak_<id digits>, cut to
// 64 characters (MySQL's limit).
func backupName(name, id string) string {
	suffix := "__db_bak_" + strings.NewReplacer("-", "").Replace(id)
	if len(suffix) > 30 {
		suffix = suffix[:9] + suffix[len(suffix)-21:]
	}
	if len(name)+len(suffix) > 64 {
		name = name[:64-len(suffix)]
	}
	return name + suffix
}

// renameSQL renames a table within its schema.
func renameSQL(d, schema, from, to, kind string) (string, error) {
	return dialect.RenameTable(d, dname(schema, from), to, dropKind(kind))
}

// captureDefinition asks the engine for an object's DDL (the query is
// dialect.ShowDefinition's; "" where the engine has none to read).
func captureDefinition(ctx context.Context, q connector.Querier, d, schema, name, kind string) (string, error) {
	def, ok, err := dialect.ShowDefinition(d, dname(schema, name), dropKind(kind))
	if err != nil || !ok {
		return "", err
	}
	res, err := q.Query(ctx, def.SQL, connector.QueryOptions{MaxRows: 10}, def.Args...)
	if err != nil {
		return "", fmt.Errorf("capture the definition of %s: %w", qname(d, schema, name), err)
	}
	if len(res.Rows) == 0 || len(res.Rows[0]) <= def.Column {
		return "", fmt.Errorf("capture the definition of %s: the engine returned nothing", qname(d, schema, name))
	}
	s, _ := res.Rows[0][def.Column].(string)
	return s, nil
}
