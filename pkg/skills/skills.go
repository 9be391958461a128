// Package skills is the service behind `databridge skills` and the MCP
// prompts: guided workflows an agent can pick ("onboard a source", "run the
// monthly close" …), each with arguments, that tell it which databridge MCP
// tools to call in which order and what to check.
//
// A skill is a markdown file under templates/skills/ (embedded in the
// binary): YAML front matter with its name, title, description and
// arguments, then a text/template body. The body reads arguments as
// {{.name}} (an optional argument not given is empty) and names every
// tool through {{tool "tool_name"}}, so the tools a skill uses are known
// without rendering it and a test can prove each one exists.
package skills

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"unicode"

	"gopkg.in/yaml.v3"

	skillfiles "github.com/databridge/databridge/templates/skills"
)

// Argument is one argument of a skill.
type Argument struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description" yaml:"description"`
	Required    bool   `json:"required" yaml:"required"`
}

// Skill describes a skill: what `skills list` prints and what an MCP
// prompt listing carries.
type Skill struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Arguments   []Argument `json:"arguments"`
	// Tools are the MCP tools the skill names, in the order they first
	// appear in its body.
	Tools []string `json:"tools"`
}

// List is the result of List (`skills list --json`).
type List struct {
	Skills []Skill `json:"skills"`
}

// Rendered is a skill with its arguments filled in (`skills show --json`;
// the MCP prompt's message is Text).
type Rendered struct {
	Skill
	// Given are the arguments given, by name.
	Given map[string]string `json:"given"`
	// Text is the rendered markdown: a title line, then the body.
	Text string `json:"text"`
}

// Service reads skills from a file system of *.md files.
type Service struct {
	fsys fs.FS
	load func() ([]*skill, error)
}

type skill struct {
	Skill
	tmpl *template.Template
}

// New returns the service over the skills embedded in the binary.
func New() *Service { return NewFS(skillfiles.FS) }

// NewFS returns the service over the *.md files at the root of fsys.
func NewFS(fsys fs.FS) *Service {
	s := &Service{fsys: fsys}
	s.load = sync.OnceValues(s.read)
	return s
}

// List lists the skills sorted by name.
func (s *Service) List() (*List, error) {
	all, err := s.load()
	if err != nil {
		return nil, err
	}
	out := &List{Skills: make([]Skill, 0, len(all))}
	for _, sk := range all {
		out.Skills = append(out.Skills, sk.clone())
	}
	return out, nil
}

// Show renders the skill name with args. An unknown skill or argument, or
// a missing required argument, is an error that says which ones exist.
func (s *Service) Show(name string, args map[string]string) (*Rendered, error) {
	all, err := s.load()
	if err != nil {
		return nil, err
	}
	var sk *skill
	var names []string
	for _, x := range all {
		if x.Name == name {
			sk = x
		}
		names = append(names, x.Name)
	}
	if sk == nil {
		return nil, fmt.Errorf("unknown skill %q (known: %s)", name, strings.Join(names, ", "))
	}
	data := map[string]string{}
	for _, a := range sk.Arguments {
		data[a.Name] = ""
	}
	given := map[string]string{}
	var unknown []string
	for k, v := range args {
		if _, ok := data[k]; !ok {
			unknown = append(unknown, k)
			continue
		}
		if err := checkValue(k, v); err != nil {
			return nil, fmt.Errorf("skill %s: %w", name, err)
		}
		v = strings.TrimSpace(v)
		data[k] = v
		if v != "" {
			given[k] = v
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("skill %s has no argument %s (its arguments: %s)", name, strings.Join(unknown, ", "), argNames(sk.Arguments))
	}
	var missing []string
	for _, a := range sk.Arguments {
		if a.Required && data[a.Name] == "" {
			missing = append(missing, a.Name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("skill %s needs %s (its arguments: %s)", name, strings.Join(missing, ", "), argNames(sk.Arguments))
	}
	var buf bytes.Buffer
	if err := sk.tmpl.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("skill %s: %w", name, err)
	}
	text := "# " + sk.Title + "\n\n" + strings.TrimSpace(buf.String()) + "\n"
	return &Rendered{Skill: sk.clone(), Given: given, Text: text}, nil
}

// ParseArgs reads KEY=VALUE pairs (the CLI's --arg flags). A key given
// twice is an error.
func ParseArgs(pairs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("argument %q is not KEY=VALUE", p)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("argument %s given twice", k)
		}
		out[k] = v
	}
	return out, nil
}

// maxValue bounds an argument's length: arguments name tables, columns,
// periods and questions.
const maxValue = 2000

func checkValue(k, v string) error {
	if len(v) > maxValue {
		return fmt.Errorf("argument %s is longer than %d characters", k, maxValue)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\t' {
			return fmt.Errorf("argument %s contains a control character (one line of text expected)", k)
		}
	}
	return nil
}

func argNames(args []Argument) string {
	if len(args) == 0 {
		return "none"
	}
	var out []string
	for _, a := range args {
		n := a.Name
		if a.Required {
			n += " (required)"
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

func (sk *skill) clone() Skill {
	c := sk.Skill
	c.Arguments = slices.Clone(sk.Arguments)
	if c.Arguments == nil {
		c.Arguments = []Argument{}
	}
	c.Tools = slices.Clone(sk.Tools)
	return c
}

// frontMatter is the YAML header of a skill file.
type frontMatter struct {
	Name        string     `yaml:"name"`
	Title       string     `yaml:"title"`
	Description string     `yaml:"description"`
	Arguments   []Argument `yaml:"arguments"`
}

func (s *Service) read() ([]*skill, error) {
	entries, err := fs.ReadDir(s.fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("skills: %w", err)
	}
	var out []*skill
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		data, err := fs.ReadFile(s.fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("skill %s: %w", e.Name(), err)
		}
		sk, err := parseSkill(strings.TrimSuffix(e.Name(), ".md"), data)
		if err != nil {
			return nil, fmt.Errorf("skill templates/skills/%s: %w", e.Name(), err)
		}
		out = append(out, sk)
	}
	if len(out) == 0 {
		return nil, errors.New("skills: no skill files")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// parseSkill reads one skill file: front matter between "---" lines, then
// the template body.
func parseSkill(file string, data []byte) (*skill, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return nil, errors.New("must start with a --- line and YAML front matter")
	}
	head, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return nil, errors.New("front matter is not closed by a --- line")
	}
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	if fm.Name != file {
		return nil, fmt.Errorf("name %q does not match the file name %s.md", fm.Name, file)
	}
	if !validName(fm.Name) {
		return nil, fmt.Errorf("name %q: use lower-case letters, digits and _", fm.Name)
	}
	if strings.TrimSpace(fm.Title) == "" || strings.TrimSpace(fm.Description) == "" {
		return nil, errors.New("title and description are required")
	}
	seen := map[string]bool{}
	for _, a := range fm.Arguments {
		if !validName(a.Name) {
			return nil, fmt.Errorf("argument %q: use lower-case letters, digits and _", a.Name)
		}
		if seen[a.Name] {
			return nil, fmt.Errorf("argument %s declared twice", a.Name)
		}
		seen[a.Name] = true
		if strings.TrimSpace(a.Description) == "" {
			return nil, fmt.Errorf("argument %s has no description", a.Name)
		}
	}
	tmpl, err := template.New(file).Option("missingkey=error").Funcs(template.FuncMap{
		"tool": func(name string) string { return "`" + name + "`" },
	}).Parse(body)
	if err != nil {
		return nil, err
	}
	tools, fields := references(tmpl.Tree.Root)
	for _, f := range fields {
		if !seen[f] {
			return nil, fmt.Errorf("the body reads {{.%s}}, which is not a declared argument", f)
		}
	}
	if len(tools) == 0 {
		return nil, errors.New(`the body names no tool (write {{tool "name"}})`)
	}
	return &skill{Skill: Skill{Name: fm.Name, Title: fm.Title, Description: fm.Description, Arguments: fm.Arguments, Tools: tools}, tmpl: tmpl}, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// references walks a template's parse tree, every branch included, for
// the tools it names ({{tool "x"}}, in order of first appearance) and the
// fields it reads ({{.x}}).
func references(root parse.Node) (tools, fields []string) {
	var walk func(n parse.Node)
	walkPipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			for i, a := range c.Args {
				if id, ok := a.(*parse.IdentifierNode); ok && id.Ident == "tool" && i+1 < len(c.Args) {
					if s, ok := c.Args[i+1].(*parse.StringNode); ok && !slices.Contains(tools, s.Text) {
						tools = append(tools, s.Text)
					}
				}
				walk(a)
			}
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walkPipe(n.Pipe)
		case *parse.IfNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.PipeNode:
			walkPipe(n)
		case *parse.FieldNode:
			if len(n.Ident) > 0 && !slices.Contains(fields, n.Ident[0]) {
				fields = append(fields, n.Ident[0])
			}
		}
	}
	walk(root)
	return tools, fields
}

// UnknownTools returns, per skill, the tools it names that are not in
// known (the MCP server's tools); empty when every tool exists.
func UnknownTools(l *List, known []string) map[string][]string {
	out := map[string][]string{}
	for _, sk := range l.Skills {
		for _, t := range sk.Tools {
			if !slices.Contains(known, t) {
				out[sk.Name] = append(out[sk.Name], t)
			}
		}
	}
	return out
}
