package restxml

import (
	"fmt"
	"io"
	"reflect"
	"sync"
	"time"
)

// A plan pairs a Go struct type with the model structure it carries: for
// each Go field, the model member of the same name, its location and its
// shape. Domain shapes carry no wire tags; a Go field is the member of the
// same name. A Go field the model does not know is a programming error,
// reported when the plan is built; a model member without a Go field is a
// member the service does not support (Decode refuses a request that sets
// it in a header or the query: see decode.go).
type plan struct {
	shapeName string
	shape     *shape
	fields    []fieldPlan
	// byElement finds body members by XML element name, byAttr attribute
	// members by attribute name.
	byElement map[string]*fieldPlan
	byAttr    map[string]*fieldPlan
	// missing lists the header and querystring members the Go type lacks,
	// with their wire names.
	missing []missingMember
	payload *fieldPlan // the payload member's field, if any
}

type missingMember struct {
	name, location, wire string
	prefix               bool // a headers-map prefix (x-amz-meta-)
}

type fieldPlan struct {
	name  string
	index int
	typ   reflect.Type
	mem   *member
	shape *shape
	wire  string // element, header, query parameter or attribute name
	// elem is the plan of a structure member, of a list's structure
	// elements or of a map's structure values; nil for scalars.
	elem *plan
	// item is the element name of a non-flattened list's items.
	item string
}

var (
	readerType     = reflect.TypeFor[io.Reader]()
	readCloserType = reflect.TypeFor[io.ReadCloser]()
	timeType       = reflect.TypeFor[time.Time]()
)

// plans caches plans per Go type and shape.
type plans struct {
	m     *model
	mu    sync.Mutex
	cache sync.Map // planKey -> *plan
}

type planKey struct {
	t     reflect.Type
	shape string
}

// get returns the plan of struct type t as shape name.
func (ps *plans) get(t reflect.Type, name string) (*plan, error) {
	k := planKey{t, name}
	if p, ok := ps.cache.Load(k); ok {
		return p.(*plan), nil
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p, ok := ps.cache.Load(k); ok {
		return p.(*plan), nil
	}
	building := map[planKey]*plan{}
	p, err := ps.build(t, name, building)
	if err != nil {
		return nil, err
	}
	for k, v := range building {
		ps.cache.Store(k, v)
	}
	return p, nil
}

func (ps *plans) build(t reflect.Type, name string, building map[planKey]*plan) (*plan, error) {
	k := planKey{t, name}
	if p, ok := building[k]; ok {
		return p, nil
	}
	if p, ok := ps.cache.Load(k); ok {
		return p.(*plan), nil
	}
	sh := ps.m.Shapes[name]
	if sh == nil || sh.Type != "structure" {
		return nil, fmt.Errorf("restxml: %s is not a structure shape", name)
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("restxml: %s: Go type %s is not a struct", name, t)
	}
	p := &plan{shapeName: name, shape: sh, byElement: map[string]*fieldPlan{}, byAttr: map[string]*fieldPlan{}}
	building[k] = p
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		mem := sh.Members[f.Name]
		if mem == nil {
			return nil, fmt.Errorf("restxml: %s.%s: the model's %s has no member %s", t.Name(), f.Name, name, f.Name)
		}
		fp := fieldPlan{name: f.Name, index: i, typ: f.Type, mem: mem, shape: ps.m.Shapes[mem.Shape], wire: mem.wireName(f.Name)}
		if err := ps.check(&fp, building); err != nil {
			return nil, fmt.Errorf("restxml: %s.%s: %w", t.Name(), f.Name, err)
		}
		seen[f.Name] = true
		p.fields = append(p.fields, fp)
	}
	for i := range p.fields {
		fp := &p.fields[i]
		switch {
		case fp.name == sh.Payload:
			p.payload = fp
		case fp.mem.Location != "":
		case fp.mem.XMLAttribute:
			p.byAttr[fp.wire] = fp
		default:
			p.byElement[fp.wire] = fp
		}
	}
	for n, mem := range sh.Members {
		if seen[n] {
			continue
		}
		switch mem.Location {
		case "header", "querystring":
			p.missing = append(p.missing, missingMember{name: n, location: mem.Location, wire: mem.wireName(n)})
		case "headers":
			p.missing = append(p.missing, missingMember{name: n, location: "header", wire: mem.wireName(n), prefix: true})
		}
	}
	return p, nil
}

// check verifies that a Go field can hold its member's shape and builds the
// plans of nested structures.
func (ps *plans) check(fp *fieldPlan, building map[planKey]*plan) error {
	t := fp.typ
	sh := fp.shape
	if sh.Type == "blob" && (fp.mem.Streaming || sh.Streaming) {
		if t != readerType && t != readCloserType {
			return fmt.Errorf("streaming blob needs io.Reader or io.ReadCloser, not %s", t)
		}
		return nil
	}
	base := t
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	switch sh.Type {
	case "string":
		if base.Kind() != reflect.String {
			return fmt.Errorf("string member in %s", t)
		}
	case "boolean":
		if base.Kind() != reflect.Bool {
			return fmt.Errorf("boolean member in %s", t)
		}
	case "integer", "long":
		switch base.Kind() {
		case reflect.Int, reflect.Int32, reflect.Int64:
		default:
			return fmt.Errorf("%s member in %s", sh.Type, t)
		}
	case "timestamp":
		if base != timeType {
			return fmt.Errorf("timestamp member in %s", t)
		}
	case "blob":
		if base.Kind() != reflect.Slice || base.Elem().Kind() != reflect.Uint8 {
			return fmt.Errorf("blob member in %s", t)
		}
	case "structure":
		if base.Kind() != reflect.Struct {
			return fmt.Errorf("structure member in %s", t)
		}
		p, err := ps.build(base, fp.mem.Shape, building)
		if err != nil {
			return err
		}
		fp.elem = p
	case "list":
		if t.Kind() != reflect.Slice {
			return fmt.Errorf("list member in %s", t)
		}
		item := ps.m.Shapes[sh.Member.Shape]
		et := t.Elem()
		if et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		fp.item = sh.Member.wireName("member")
		switch item.Type {
		case "structure":
			if et.Kind() != reflect.Struct {
				return fmt.Errorf("list of structures in %s", t)
			}
			p, err := ps.build(et, sh.Member.Shape, building)
			if err != nil {
				return err
			}
			fp.elem = p
		case "string":
			if et.Kind() != reflect.String {
				return fmt.Errorf("list of strings in %s", t)
			}
		default:
			return fmt.Errorf("list of %s is not supported", item.Type)
		}
	case "map":
		if t.Kind() != reflect.Map || t.Key().Kind() != reflect.String || t.Elem().Kind() != reflect.String {
			return fmt.Errorf("map member needs map[string]string, not %s", t)
		}
	default:
		return fmt.Errorf("shape type %s is not supported", sh.Type)
	}
	return nil
}
