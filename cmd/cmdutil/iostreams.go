// Package cmdutil is what every command shares: the I/O streams (terminal
// detection, colour, progress on stderr), the factory that loads the project
// lazily, JSON and table rendering, and the errors that map to exit codes.
package cmdutil

import (
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
)

// IOStreams are a command's input and outputs.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY bool
	color  bool
	quiet  bool
	verb   bool
}

// System returns the process streams, detecting a terminal on stdout and
// honouring NO_COLOR.
func System() *IOStreams {
	io := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	if f, ok := io.Out.(*os.File); ok {
		io.outTTY = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	io.color = io.outTTY && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	return io
}

// Test returns streams writing to the given buffers, not a terminal.
func Test(in io.Reader, out, errOut io.Writer) *IOStreams {
	return &IOStreams{In: in, Out: out, ErrOut: errOut}
}

// IsTTY reports whether stdout is a terminal.
func (s *IOStreams) IsTTY() bool { return s.outTTY }

// SetColor forces colour off (--no-color) or on (tests).
func (s *IOStreams) SetColor(on bool) { s.color = on }

// Color reports whether styled output is enabled.
func (s *IOStreams) Color() bool { return s.color }

// SetQuiet and SetVerbose set the chattiness of stderr.
func (s *IOStreams) SetQuiet(q bool)   { s.quiet = q }
func (s *IOStreams) SetVerbose(v bool) { s.verb = v }

// Quiet reports -q.
func (s *IOStreams) Quiet() bool { return s.quiet }

// Verbose reports whether -v was given.
func (s *IOStreams) Verbose() bool { return s.verb }

// Progress prints a progress line on stderr unless quiet.
func (s *IOStreams) Progress(format string, a ...any) {
	if s.quiet {
		return
	}
	fmt.Fprintf(s.ErrOut, format+"\n", a...)
}

// Debug prints on stderr only with -v.
func (s *IOStreams) Debug(format string, a ...any) {
	if s.verb {
		fmt.Fprintf(s.ErrOut, "debug: "+format+"\n", a...)
	}
}

// Styles used on a terminal; each is the identity when colour is off.
func (s *IOStreams) style(st lipgloss.Style, text string) string {
	if !s.color {
		return text
	}
	return st.Render(text)
}

var (
	boldStyle    = lipgloss.NewStyle().Bold(true)
	successStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("2")).Bold(true)
	failStyle    = lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	mutedStyle   = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	accentStyle  = lipgloss.NewStyle().Foreground(lipgloss.Color("6"))
)

// Bold, Success, Fail, Muted, Accent style text on a colour terminal.
func (s *IOStreams) Bold(t string) string    { return s.style(boldStyle, t) }
func (s *IOStreams) Success(t string) string { return s.style(successStyle, t) }
func (s *IOStreams) Fail(t string) string    { return s.style(failStyle, t) }
func (s *IOStreams) Muted(t string) string   { return s.style(mutedStyle, t) }
func (s *IOStreams) Accent(t string) string  { return s.style(accentStyle, t) }

// SuccessIcon and FailIcon are ✓ / ✗ on a terminal, words otherwise.
func (s *IOStreams) SuccessIcon() string {
	if s.outTTY {
		return s.Success("✓")
	}
	return "ok"
}

// FailIcon is the failure mark.
func (s *IOStreams) FailIcon() string {
	if s.outTTY {
		return s.Fail("✗")
	}
	return "FAIL"
}
