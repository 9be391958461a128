package app_test

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/project"
)

// The default target is resolved in app.New for every face: a configured
// connection overrides config.yaml for the process, the services see it,
// and an unknown one is refused with the known names.
func TestDefaultTargetSetting(t *testing.T) {
	root := t.TempDir()
	if _, err := project.Init(root, "acme"); err != nil {
		t.Fatal(err)
	}
	s, err := app.Open(root, app.Settings{DefaultTarget: "local"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Deploy.Target("") != "local" || s.Workflow.Deploys != s.Deploy {
		t.Errorf("target %q; workflow deploys through the app's deploy service: %v", s.Deploy.Target(""), s.Workflow.Deploys == s.Deploy)
	}
	if _, err := app.Open(root, app.Settings{DefaultTarget: "nowhere"}); err == nil || !strings.Contains(err.Error(), app.EnvDefaultTarget) || !strings.Contains(err.Error(), "local") {
		t.Errorf("unknown default target: %v", err)
	}
	t.Setenv(app.EnvDefaultTarget, "nowhere")
	if _, err := app.Open(root, app.SettingsFromEnv()); err == nil {
		t.Error("DATABRIDGE_DEFAULT_TARGET from the environment is applied")
	}
}
