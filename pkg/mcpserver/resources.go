package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/docs"
	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
)

// Resources: what an agent can read (and subscribe to) without calling a
// tool — the project's hierarchies, canonical models, deployments, the
// semantic layer and the user docs, under databridge:// URIs. Each read
// goes through the service the matching read tool calls and returns the
// same JSON (databridge://hierarchies/{id} is get_hierarchy's result,
// databridge://deployments/{id} get_deployment_status's …). A read needs
// the permission of that tool (the guard checks it, see readResource);
// the docs need none.

// ResourceScheme is the scheme of databridge's resource URIs.
const ResourceScheme = "databridge://"

// Resource URIs (fixed) and URI templates.
const (
	URIHierarchies     = ResourceScheme + "hierarchies"
	URIHierarchy       = ResourceScheme + "hierarchies/{id}"
	URIModels          = ResourceScheme + "models"
	URIModel           = ResourceScheme + "models/{name}"
	URIDeployments     = ResourceScheme + "deployments"
	URIDeployment      = ResourceScheme + "deployments/{id}"
	URISemanticLayer   = ResourceScheme + "semantic/layer"
	URISemanticMetric  = ResourceScheme + "semantic/metrics/{name}"
	URIDocs            = ResourceScheme + "docs"
	URIDoc             = ResourceScheme + "docs/{page}"
	latestDeploymentID = "latest"
)

const (
	mimeJSON     = "application/json"
	mimeMarkdown = "text/markdown"
)

// resourceDef is one resource or resource template.
type resourceDef struct {
	uri         string // the URI, or the URI template when it has a {var}
	name, title string
	description string
	mime        string
	// perm is what a caller's role must allow; nil: anyone.
	perm *auth.Permission
	// read returns the content: a value marshalled as JSON, or a string
	// for text. arg is the template's variable ("" for a fixed URI).
	read func(ctx context.Context, e *env, arg string) (any, error)
}

func (d resourceDef) template() bool { return strings.Contains(d.uri, "{") }

// prefix is the URI up to the template's variable.
func (d resourceDef) prefix() string { p, _, _ := strings.Cut(d.uri, "{"); return p }

var (
	permHierarchy  = &auth.Permission{Resource: auth.Hierarchy, Action: auth.Read}
	permProject    = &auth.Permission{Resource: auth.Project, Action: auth.Read}
	permDeployment = &auth.Permission{Resource: auth.Deployment, Action: auth.Read}
)

// resourceDefs are every resource, fixed URIs before templates.
var resourceDefs = []resourceDef{
	{uri: URIHierarchies, name: "hierarchies", title: "Hierarchies", mime: mimeJSON, perm: permHierarchy,
		description: "The project's reporting hierarchies with kind, version, status and counts (list_hierarchies); read one at databridge://hierarchies/{id}.",
		read: func(ctx context.Context, e *env, _ string) (any, error) {
			s, err := e.services()
			if err != nil {
				return nil, err
			}
			return s.ListHierarchies()
		}},
	{uri: URIModels, name: "models", title: "Canonical models", mime: mimeJSON, perm: permProject,
		description: "The names of the project's canonical models; read one at databridge://models/{name}.",
		read: func(ctx context.Context, e *env, _ string) (any, error) {
			s, err := e.semantic()
			if err != nil {
				return nil, err
			}
			names, err := s.List()
			if names == nil {
				names = []string{}
			}
			return modelList{Models: names}, err
		}},
	{uri: URIDeployments, name: "deployments", title: "Deployments", mime: mimeJSON, perm: permDeployment,
		description: "The default target's deployments, newest first (`databridge deploy history`); read one at databridge://deployments/{id} (latest: the newest).",
		read: func(ctx context.Context, e *env, _ string) (any, error) {
			s, err := e.deploys()
			if err != nil {
				return nil, err
			}
			h, err := s.History(deploy.HistoryInput{})
			if h == nil {
				h = []deploy.Summary{}
			}
			return deploymentList{Deployments: h}, err
		}},
	{uri: URISemanticLayer, name: "semantic_layer", title: "Semantic layer", mime: mimeJSON, perm: permProject,
		description: "The semantic layer over the deployed warehouse (.databridge/semantic/layer.yaml as JSON): semantic models, metrics, dimensions, the fiscal calendar, the reporting currency.",
		read: func(ctx context.Context, e *env, _ string) (any, error) {
			s, err := e.services()
			if err != nil {
				return nil, err
			}
			return s.Analytics.Layer()
		}},
	{uri: URIDocs, name: "docs", title: "Documentation", mime: mimeJSON,
		description: "The index of databridge's user documentation; read a page at databridge://docs/{page} (e.g. databridge://docs/mcp).",
		read:        func(ctx context.Context, e *env, _ string) (any, error) { return docIndex() }},

	{uri: URIHierarchy, name: "hierarchy", title: "A hierarchy", mime: mimeJSON, perm: permHierarchy,
		description: "A hierarchy's current version: the document and its tree in reporting order (get_hierarchy's result).",
		read: func(ctx context.Context, e *env, id string) (any, error) {
			s, err := e.hierarchies()
			if err != nil {
				return nil, err
			}
			h, err := s.Get(id, 0)
			if err != nil {
				return nil, err
			}
			return getHierarchyOutput{Hierarchy: h, Tree: hierarchy.Tree(h)}, nil
		}},
	{uri: URIModel, name: "model", title: "A canonical model", mime: mimeJSON, perm: permProject,
		description: "A canonical model with every inference's confidence and evidence, the reviewer's decisions and its status (review_canonical_model's result).",
		read: func(ctx context.Context, e *env, name string) (any, error) {
			s, err := e.semantic()
			if err != nil {
				return nil, err
			}
			return s.Get(name)
		}},
	{uri: URIDeployment, name: "deployment", title: "A deployment", mime: mimeJSON, perm: permDeployment,
		description: "A deployment's ledger record: plan, statements with timings, status, errors, who and when (get_deployment_status's result); the id latest is the default target's newest.",
		read: func(ctx context.Context, e *env, id string) (any, error) {
			s, err := e.deploys()
			if err != nil {
				return nil, err
			}
			if id == latestDeploymentID {
				id = ""
			}
			return s.Status(deploy.RecordInput{ID: id})
		}},
	{uri: URISemanticMetric, name: "metric", title: "A metric, dimension or semantic model", mime: mimeJSON, perm: permProject,
		description: "A metric's definition, format, the dimensions it can be grouped by and its SQL; or a dimension's members; or a semantic model (describe_metric's result).",
		read: func(ctx context.Context, e *env, name string) (any, error) {
			s, err := e.services()
			if err != nil {
				return nil, err
			}
			return s.Analytics.Describe(analytics.DescribeInput{Name: name})
		}},
	{uri: URIDoc, name: "doc", title: "A documentation page", mime: mimeMarkdown,
		description: "A page of databridge's user documentation as markdown (databridge://docs lists them).",
		read:        func(ctx context.Context, e *env, page string) (any, error) { return docPage(page) }},
}

type modelList struct {
	Models []string `json:"models"`
}

type deploymentList struct {
	Deployments []deploy.Summary `json:"deployments"`
}

// DocPage is one entry of the docs index.
type DocPage struct {
	Page  string `json:"page"`
	Title string `json:"title"`
	URI   string `json:"uri"`
}

type docList struct {
	Pages []DocPage `json:"pages"`
}

var docName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func docIndex() (docList, error) {
	files, err := fs.Glob(docs.FS, "*.md")
	if err != nil {
		return docList{}, err
	}
	out := docList{Pages: []DocPage{}}
	for _, f := range files {
		page := strings.TrimSuffix(f, ".md")
		data, err := docs.FS.ReadFile(f)
		if err != nil {
			return docList{}, err
		}
		title := page
		if first, _, _ := strings.Cut(string(data), "\n"); strings.HasPrefix(first, "# ") {
			title = strings.TrimSpace(strings.TrimPrefix(first, "# "))
		}
		out.Pages = append(out.Pages, DocPage{Page: page, Title: title, URI: ResourceScheme + "docs/" + page})
	}
	sort.Slice(out.Pages, func(i, j int) bool { return out.Pages[i].Page < out.Pages[j].Page })
	return out, nil
}

func docPage(page string) (string, error) {
	page = strings.TrimSuffix(page, ".md")
	if docName.MatchString(page) {
		if data, err := docs.FS.ReadFile(page + ".md"); err == nil {
			return string(data), nil
		}
	}
	idx, err := docIndex()
	if err != nil {
		return "", err
	}
	var names []string
	for _, p := range idx.Pages {
		names = append(names, p.Page)
	}
	return "", fmt.Errorf("%w: no documentation page %q (pages: %s)", errResourceNotFound, page, strings.Join(names, ", "))
}

var errResourceNotFound = errors.New("resource not found")

// lookupResource finds the definition serving uri and the value of its
// template variable.
func lookupResource(uri string) (resourceDef, string, bool) {
	for _, d := range resourceDefs {
		if !d.template() {
			if uri == d.uri {
				return d, "", true
			}
			continue
		}
		rest, ok := strings.CutPrefix(uri, d.prefix())
		if !ok || rest == "" || strings.ContainsAny(rest, "/?#") {
			continue
		}
		arg, err := url.PathUnescape(rest)
		if err != nil || arg == "" || strings.ContainsAny(arg, "/\\") {
			continue
		}
		return d, arg, true
	}
	return resourceDef{}, "", false
}

// addResources registers every resource and template on srv.
func addResources(srv *mcp.Server, e *env) {
	for _, d := range resourceDefs {
		h := resourceHandler(e, d)
		if d.template() {
			srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: d.uri, Name: d.name, Title: d.title, Description: d.description, MIMEType: d.mime}, h)
		} else {
			srv.AddResource(&mcp.Resource{URI: d.uri, Name: d.name, Title: d.title, Description: d.description, MIMEType: d.mime}, h)
		}
	}
}

func resourceHandler(e *env, def resourceDef) mcp.ResourceHandler {
	return func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		uri := req.Params.URI
		d, arg, ok := lookupResource(uri)
		if !ok || d.uri != def.uri {
			return nil, mcp.ResourceNotFoundError(uri)
		}
		v, err := d.read(ctx, e, arg)
		if err != nil {
			if notFound(err) {
				// The protocol's resource-not-found error, with the
				// service's message (what exists, or how to make it).
				data, _ := json.Marshal(map[string]string{"uri": uri})
				return nil, &jsonrpc.Error{Code: mcp.CodeResourceNotFound, Message: err.Error(), Data: data}
			}
			return nil, fmt.Errorf("reading %s: %w", uri, err)
		}
		c := &mcp.ResourceContents{URI: uri, MIMEType: d.mime}
		if s, ok := v.(string); ok {
			c.Text = s
		} else {
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", uri, err)
			}
			c.Text = string(b)
		}
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{c}}, nil
	}
}

func notFound(err error) bool {
	return errors.Is(err, errResourceNotFound) || errors.Is(err, hierarchy.ErrNotFound) || errors.Is(err, model.ErrNotFound) ||
		errors.Is(err, deploy.ErrNotFound) || errors.Is(err, deploy.ErrNoDeployment) || errors.Is(err, analytics.ErrNoLayer) ||
		errors.Is(err, fs.ErrNotExist)
}

// readResource is the guard for resources/read and for subscriptions
// (resources/subscribe; subscriptions/listen in protocol 2026-07-28): the
// caller's role must allow each resource's permission (the one its read
// tool needs), so a role that cannot call get_deployment_status can
// neither read nor watch databridge://deployments/….
func (g *guard) readResource(ctx context.Context, method string, req mcp.Request, next mcp.MethodHandler) (mcp.Result, error) {
	var uris []string
	switch p := req.GetParams().(type) {
	case *mcp.ReadResourceParams:
		uris = []string{p.URI}
	case *mcp.SubscribeParams:
		uris = []string{p.URI}
	case *mcp.SubscriptionsListenParams:
		if p.Notifications != nil {
			uris = p.Notifications.ResourceSubscriptions
		}
	}
	for _, uri := range uris {
		if d, _, ok := lookupResource(uri); ok && d.perm != nil && g.policy != nil {
			pr := g.principal(req)
			if !g.policy.Allowed(pr, *d.perm) {
				return nil, fmt.Errorf("permission denied: role %q may not read %s (it needs %s); ask an admin for a key with a role that grants it", pr.Role, uri, *d.perm)
			}
		}
	}
	return next(ctx, method, req)
}

// subscribe accepts a subscription to a databridge:// resource the server
// serves (the SDK then records it); anything else is refused.
func subscribeResource(_ context.Context, req *mcp.SubscribeRequest) error {
	if _, _, ok := lookupResource(req.Params.URI); !ok {
		return fmt.Errorf("cannot subscribe to %q: not a databridge resource (see resources/list and resources/templates/list)", req.Params.URI)
	}
	return nil
}

func unsubscribeResource(context.Context, *mcp.UnsubscribeRequest) error { return nil }

// ResourceChanged tells the sessions subscribed to each of uris that it
// changed (notifications/resources/updated); sessions that did not
// subscribe hear nothing. Event handlers call it with ResourcesFor.
func ResourceChanged(ctx context.Context, srv *mcp.Server, uris ...string) {
	for _, u := range uris {
		_ = srv.ResourceUpdated(ctx, &mcp.ResourceUpdatedNotificationParams{URI: u})
	}
}

// FollowEvents sends resource update notifications for the events of
// bus (pkg/events): this process's own and, while the bus listens (`mcp
// serve` runs bus.Listen), those of other processes — a `databridge
// deploy` in another shell tells the sessions watching
// databridge://deployments/latest. stop unsubscribes.
func FollowEvents(srv *mcp.Server, bus *events.Bus) (stop func()) {
	return bus.Subscribe(func(e events.Event) {
		ResourceChanged(context.Background(), srv, ResourcesFor(string(e.Type), e.Data)...)
	})
}

// ResourcesFor lists the resource URIs an event changes: its type (such
// as "deployment.completed", see pkg/events) and the ids in its data.
func ResourcesFor(eventType string, data map[string]any) []string {
	str := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := data[k]; ok && v != nil {
				if s := fmt.Sprint(v); s != "" {
					return s
				}
			}
		}
		return ""
	}
	var out []string
	add := func(tmpl, arg string) {
		if arg != "" {
			out = append(out, strings.Replace(tmpl, tmpl[strings.Index(tmpl, "{"):], url.PathEscape(arg), 1))
		}
	}
	subject, _, _ := strings.Cut(eventType, ".")
	switch subject {
	case "deployment":
		if data["default_target"] == false {
			// Another target: only the deployment itself (the lists,
			// latest and the layer are the default target's).
			add(URIDeployment, str("deployment", "deployment_id", "id"))
			break
		}
		out = append(out, URIDeployments, ResourceScheme+"deployments/"+latestDeploymentID)
		add(URIDeployment, str("deployment", "deployment_id", "id"))
		if eventType != "deployment.failed" {
			// A committed deployment or a rollback refreshes the layer.
			out = append(out, URISemanticLayer)
		}
	case "semantic":
		out = append(out, URISemanticLayer)
	case "hierarchy":
		out = append(out, URIHierarchies)
		add(URIHierarchy, str("hierarchy", "hierarchy_id", "id"))
	case "model":
		out = append(out, URIModels)
		add(URIModel, str("model", "name"))
	}
	return slices.Compact(out)
}
