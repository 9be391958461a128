package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/warehouse"
)

// NewPlan diffs design against the target's latest committed deployment
// in the ledger and the target's catalogue:
//
//   - create: the object does not exist in the target;
//   - replace: it exists but its checksum differs from the ledger's, the
//     ledger does not know it (created outside databridge), its kind
//     changed, or it depends on an object that is created or replaced
//     (so PostgreSQL can drop and re-create it around its dependency);
//   - unchanged: same checksum as the latest committed deployment and
//     present in the target;
//   - drop: in the latest committed deployment but no longer in the design
//     (dependents first).
//
// NewPlan only reads; a dry run is NewPlan alone.
func NewPlan(ctx context.Context, conn connector.Connector, target string, design *warehouse.Design, ledger *Ledger) (*Plan, error) {
	base, err := ledger.LastCommitted(target)
	if err != nil {
		return nil, err
	}
	p, err := buildPlan(ctx, conn, target, design, base)
	if err != nil {
		return nil, err
	}
	unf, err := ledger.Unfinished(target)
	if err != nil {
		return nil, err
	}
	for _, r := range unf {
		p.Unfinished = append(p.Unfinished, r.ID)
	}
	return p, nil
}

// designObjects are the objects a committed record left in the target, in
// its order.
func designObjects(r *Record) []*warehouse.Object {
	if r == nil || r.Plan == nil {
		return nil
	}
	var out []*warehouse.Object
	for _, it := range r.Plan.Items {
		if it.Action != ActionDrop && it.Object != nil {
			out = append(out, it.Object)
		}
	}
	return out
}

func buildPlan(ctx context.Context, conn connector.Connector, target string, design *warehouse.Design, base *Record) (*Plan, error) {
	d := conn.Dialect()
	if design == nil {
		design = &warehouse.Design{Dialect: d}
	}
	if design.Dialect != "" && !strings.EqualFold(design.Dialect, d) {
		return nil, fmt.Errorf("the design is for %s but target %s is %s: generate the design for %s", design.Dialect, target, d, d)
	}
	if base != nil && base.Dialect != "" && base.Dialect != d {
		return nil, fmt.Errorf("target %s was deployed as %s (deployment %s) but the connection is %s", target, base.Dialect, base.ID, d)
	}
	objs, err := topoOrder(design.Objects)
	if err != nil {
		return nil, err
	}
	prev := designObjects(base)
	prevBy := map[string]*warehouse.Object{}
	var schemas []string
	for _, o := range prev {
		prevBy[objKey(o)] = o
		schemas = append(schemas, o.Schema)
	}
	for _, o := range objs {
		schemas = append(schemas, o.Schema)
	}
	cat, err := readCatalogue(ctx, conn, schemas)
	if err != nil {
		return nil, err
	}
	p := &Plan{Target: target, Dialect: d, Grants: design.Grants, Transactional: Transactional(d)}
	if base != nil {
		p.Base = base.ID
	}
	action := map[string]Action{}
	inDesign := map[string]bool{}
	for _, o := range objs {
		k := objKey(o)
		inDesign[k] = true
		kind, exists := cat[k]
		it := PlanItem{Object: o, Exists: exists, ExistingKind: kind}
		old := prevBy[k]
		switch {
		case !exists && old != nil:
			it.Action, it.Reason = ActionCreate, "in the ledger but missing from the target"
		case !exists:
			it.Action, it.Reason = ActionCreate, "new object"
		case old == nil:
			it.Action, it.Reason = ActionReplace, "exists in the target but not in the ledger"
		case checksum(old) != checksum(o):
			it.Action, it.Reason = ActionReplace, "definition changed"
		case isView(kind) != isView(string(o.Kind)):
			it.Action, it.Reason = ActionReplace, fmt.Sprintf("is a %s in the target, the design has a %s", kind, o.Kind)
		default:
			it.Action, it.Reason = ActionUnchanged, "same checksum as deployment "+base.ID
		}
		if it.Action == ActionUnchanged {
			for _, dep := range o.DependsOn {
				if a := action[depKey(objs, o, dep)]; a == ActionCreate || a == ActionReplace {
					it.Action, it.Reason = ActionReplace, "depends on "+dep+", which is re-created"
					break
				}
			}
		}
		action[k] = it.Action
		p.Items = append(p.Items, it)
	}
	for i := len(prev) - 1; i >= 0; i-- {
		o := prev[i]
		k := objKey(o)
		if inDesign[k] {
			continue
		}
		kind, exists := cat[k]
		p.Items = append(p.Items, PlanItem{Object: o, Action: ActionDrop, Reason: "removed from the design", Exists: exists, ExistingKind: kind})
	}
	p.count()
	return p, nil
}

func (p *Plan) count() {
	p.Creates, p.Replaces, p.Drops, p.Unchanged = 0, 0, 0, 0
	for _, it := range p.Items {
		switch it.Action {
		case ActionCreate:
			p.Creates++
		case ActionReplace:
			p.Replaces++
		case ActionDrop:
			p.Drops++
		case ActionUnchanged:
			p.Unchanged++
		}
	}
}

// depKey resolves a DependsOn name to an object key (same schema first).
func depKey(objs []*warehouse.Object, o *warehouse.Object, dep string) string {
	for _, x := range objs {
		if strings.EqualFold(x.Name, dep) && strings.EqualFold(x.Schema, o.Schema) {
			return objKey(x)
		}
	}
	for _, x := range objs {
		if strings.EqualFold(x.Name, dep) || strings.EqualFold(x.QualifiedName(), dep) {
			return objKey(x)
		}
	}
	return ""
}

// topoOrder orders objects after their dependencies, keeping the given
// order otherwise (designs are already ordered; hand-built ones may not
// be). Unknown dependencies are outside the design and ignored.
func topoOrder(objs []*warehouse.Object) ([]*warehouse.Object, error) {
	placed := map[*warehouse.Object]bool{}
	var out []*warehouse.Object
	for len(out) < len(objs) {
		progress := false
		for _, o := range objs {
			if placed[o] {
				continue
			}
			ready := true
			for _, dep := range o.DependsOn {
				k := depKey(objs, o, dep)
				for _, x := range objs {
					if k != "" && objKey(x) == k && !placed[x] && x != o {
						ready = false
					}
				}
			}
			if ready {
				placed[o] = true
				out = append(out, o)
				progress = true
			}
		}
		if !progress {
			var stuck []string
			for _, o := range objs {
				if !placed[o] {
					stuck = append(stuck, o.Name)
				}
			}
			return nil, fmt.Errorf("object dependencies form a cycle among %s", strings.Join(stuck, ", "))
		}
	}
	return out, nil
}
