package bigquery

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/databridge/databridge/pkg/catalog"
)

func isNotFound(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusNotFound
}

// fieldType renders a field's type as BigQuery DDL spells it:
// NUMERIC(18, 2), STRING(50), ARRAY<INT64>, STRUCT<a INT64, b STRING>.
// Legacy names from the API are mapped to standard SQL ones (INTEGER →
// INT64, FLOAT → FLOAT64, BOOLEAN → BOOL, RECORD → STRUCT).
func fieldType(f *bigquery.FieldSchema) string {
	var t string
	switch f.Type {
	case bigquery.IntegerFieldType:
		t = "INT64"
	case bigquery.FloatFieldType:
		t = "FLOAT64"
	case bigquery.BooleanFieldType:
		t = "BOOL"
	case bigquery.RecordFieldType:
		parts := make([]string, 0, len(f.Schema))
		for _, sub := range f.Schema {
			parts = append(parts, sub.Name+" "+fieldType(sub))
		}
		t = "STRUCT<" + strings.Join(parts, ", ") + ">"
	case bigquery.NumericFieldType, bigquery.BigNumericFieldType:
		t = string(f.Type)
		if f.Precision > 0 {
			t += "(" + strconv.FormatInt(f.Precision, 10)
			if f.Scale > 0 {
				t += ", " + strconv.FormatInt(f.Scale, 10)
			}
			t += ")"
		}
	case bigquery.StringFieldType, bigquery.BytesFieldType:
		t = string(f.Type)
		if f.MaxLength > 0 {
			t += "(" + strconv.FormatInt(f.MaxLength, 10) + ")"
		}
	default:
		t = string(f.Type)
	}
	if f.Repeated {
		return "ARRAY<" + t + ">"
	}
	return t
}

// Detail maps table metadata to a catalog.TableDetail: columns in schema
// order (nullable unless REQUIRED or REPEATED, since an array is never
// NULL), the view/table kind, the description, and the primary and foreign
// keys recorded in TableConstraints (informational, not enforced, in
// BigQuery). BigQuery has no unique constraints.
func Detail(dataset, table string, md *bigquery.TableMetadata) *catalog.TableDetail {
	d := &catalog.TableDetail{Table: catalog.Table{Schema: dataset, Name: table, Kind: KindOf(string(md.Type)), Comment: md.Description}}
	for i, f := range md.Schema {
		c := catalog.Column{
			Name:     f.Name,
			Type:     fieldType(f),
			Nullable: !f.Required && !f.Repeated,
			Position: i + 1,
			Comment:  f.Description,
		}
		if f.DefaultValueExpression != "" {
			def := f.DefaultValueExpression
			c.Default = &def
		}
		d.Columns = append(d.Columns, c)
	}
	if tc := md.TableConstraints; tc != nil {
		if tc.PrimaryKey != nil {
			d.PrimaryKey = append([]string(nil), tc.PrimaryKey.Columns...)
		}
		for _, fk := range tc.ForeignKeys {
			if fk == nil {
				continue
			}
			out := catalog.ForeignKey{Name: fk.Name}
			if rt := fk.ReferencedTable; rt != nil {
				out.RefSchema = rt.DatasetID
				out.RefTable = rt.TableID
			}
			for _, cr := range fk.ColumnReferences {
				out.Columns = append(out.Columns, cr.ReferencingColumn)
				out.RefColumns = append(out.RefColumns, cr.ReferencedColumn)
			}
			d.ForeignKeys = append(d.ForeignKeys, out)
		}
	}
	return d
}
