package dialect

import "testing"

// TestShowDefinitionDatabricksTables: on Databricks deploy reads back the
// DDL of views only. Delta on open-source Spark refuses SHOW CREATE TABLE
// on a Delta table (DELTA_OPERATION_NOT_ALLOWED, found running deploy on
// Spark: pkg/deploy/spark_test.go), and a table is moved aside and
// renamed back, never re-created from its DDL.
func TestShowDefinitionDatabricksTables(t *testing.T) {
	if _, ok, err := ShowDefinition(Databricks, N("s", "t"), KindTable); ok || err != nil {
		t.Errorf("a table: ok %v, err %v; want no definition query", ok, err)
	}
	def, ok, err := ShowDefinition(Databricks, N("s", "v"), KindView)
	if !ok || err != nil || def.SQL != "SHOW CREATE TABLE `s`.`v`" {
		t.Errorf("a view: %+v %v %v", def, ok, err)
	}
}
