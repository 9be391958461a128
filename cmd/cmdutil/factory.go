package cmdutil

import (
	"encoding/json"
	"os"

	"github.com/spf13/viper"

	"github.com/databridge/databridge/pkg/app"
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

	svc *app.Services
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

// Settings are the project-level settings of this process: the global
// flags and DATABRIDGE_* variables that app.New applies to the project.
func (f *Factory) Settings() app.Settings {
	return app.Settings{DefaultTarget: f.Viper.GetString(KeyDefaultTarget), Version: f.Version}
}

// Services opens the project once per command and assembles its services
// (pkg/app, the same assembly the MCP server uses).
func (f *Factory) Services() (*app.Services, error) {
	if f.svc != nil {
		return f.svc, nil
	}
	root, err := f.ProjectRoot()
	if err != nil {
		return nil, err
	}
	svc, err := app.Open(root, f.Settings())
	if err != nil {
		return nil, err
	}
	f.svc = svc
	f.IO.Debug("project %s", svc.Project.Root)
	return svc, nil
}

// Project opens the project once per command (with the settings applied:
// see Services).
func (f *Factory) Project() (*project.Project, error) {
	svc, err := f.Services()
	if err != nil {
		return nil, err
	}
	return svc.Project, nil
}

// Connections returns the connection service for the project.
func (f *Factory) Connections() (*connections.Service, error) {
	svc, err := f.Services()
	if err != nil {
		return nil, err
	}
	return svc.Connections, nil
}

// PrintJSON writes v as indented JSON on stdout.
func (f *Factory) PrintJSON(v any) error {
	enc := json.NewEncoder(f.IO.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
