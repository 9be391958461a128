package cmdutil

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/viper"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/project"
)

// Factory carries the global flags and builds what commands need.
type Factory struct {
	IO      *IOStreams
	Version string
	// Viper holds global settings from flags and DATABRIDGE_* env vars.
	Viper *viper.Viper
	// WorkDir is where project discovery starts (the process cwd).
	WorkDir string

	proj *project.Project
}

// Global setting keys (flag names; env DATABRIDGE_<KEY> with - as _).
const (
	KeyProjectDir    = "project-dir"
	KeyJSON          = "json"
	KeyNoColor       = "no-color"
	KeyVerbose       = "verbose"
	KeyQuiet         = "quiet"
	KeyDefaultTarget = "default-target"
)

// JSON reports --json.
func (f *Factory) JSON() bool { return f.Viper.GetBool(KeyJSON) }

// ProjectRoot finds the project: --project-dir / DATABRIDGE_PROJECT_DIR,
// else the nearest .databridge/ upward from the working directory.
func (f *Factory) ProjectRoot() (string, error) {
	if d := f.Viper.GetString(KeyProjectDir); d != "" {
		return d, nil
	}
	wd := f.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	return project.Find(wd)
}

// Project opens the project once per command.
func (f *Factory) Project() (*project.Project, error) {
	if f.proj != nil {
		return f.proj, nil
	}
	root, err := f.ProjectRoot()
	if err != nil {
		return nil, err
	}
	p, err := project.Open(root)
	if err != nil {
		return nil, err
	}
	// DATABRIDGE_DEFAULT_TARGET overrides the config's default target for
	// this process (it is not written back).
	if t := f.Viper.GetString(KeyDefaultTarget); t != "" {
		if _, ok := p.Config.Connections[t]; !ok {
			return nil, fmt.Errorf("DATABRIDGE_DEFAULT_TARGET=%q is not a configured connection", t)
		}
		p.Config.DefaultTarget = t
	}
	f.proj = p
	f.IO.Debug("project %s", p.Root)
	return p, nil
}

// Connections returns the connection service for the project.
func (f *Factory) Connections() (*connections.Service, error) {
	p, err := f.Project()
	if err != nil {
		return nil, err
	}
	return connections.New(p), nil
}

// PrintJSON writes v as indented JSON on stdout.
func (f *Factory) PrintJSON(v any) error {
	enc := json.NewEncoder(f.IO.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
