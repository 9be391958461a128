package scripts

import (
	"context"
	"path/filepath"

	"github.com/databridge/databridge/pkg/warehouse"
)

// GenerateInput asks for Basic Mode scripts.
type GenerateInput struct {
	warehouse.DesignInput
	// Out is the output folder (default: <project>/generated/sql/<dialect>).
	Out string `json:"out,omitempty" jsonschema:"Output folder, relative to the project (default: generated/sql/<dialect>)."`
	// DryRun renders without writing.
	DryRun bool `json:"dry_run,omitempty" jsonschema:"Render the scripts without writing them."`
}

// GenerateResult reports what was generated.
type GenerateResult struct {
	Dir      string    `json:"dir"`
	Written  bool      `json:"written"`
	Manifest *Manifest `json:"manifest"`
}

// Generate designs the warehouse and writes the scripts.
func Generate(ctx context.Context, svc *warehouse.Service, in GenerateInput, generator string) (*GenerateResult, *Output, error) {
	ds, err := svc.Design(ctx, in.DesignInput)
	if err != nil {
		return nil, nil, err
	}
	out, err := Render(ds, generator)
	if err != nil {
		return nil, nil, err
	}
	dir := in.Out
	if dir == "" {
		dir = filepath.Join("generated", "sql", ds.Dialect)
	}
	if !filepath.IsAbs(dir) {
		dir = svc.Project.Resolve(dir)
	}
	res := &GenerateResult{Dir: dir, Manifest: out.Manifest}
	if !in.DryRun {
		if err := out.Write(dir); err != nil {
			return nil, nil, err
		}
		res.Written = true
	}
	return res, out, nil
}
