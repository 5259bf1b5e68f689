package wireshape

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Extension is the per-member data an adapter precomputes when a plan is
// built, so that encoding a member costs no formatting of its name: the
// quoted JSON key, the XML start and end tags. ForMember is called on the
// zero E with the member's wire name and returns the data of that member;
// it must not fail.
type Extension[E any] interface {
	ForMember(wire string) E
}

// Plan is the description of one Go type as a wire value. E is the
// adapter's per-member Extension. Plans are read-only: see the package
// documentation.
type Plan[E any] struct {
	Kind Kind
	Type reflect.Type
	// Bits is 32 or 64 for Int (int and int64 are 64), else 0.
	Bits int
	// Elem is the pointee (Pointer), element (Slice) or value type (Map).
	Elem *Plan[E]
	// Struct lists the members of a Struct.
	Struct *StructPlan[E]
}

// StructPlan lists the wire members of a struct type.
type StructPlan[E any] struct {
	// Name is the Go type name, as "TypeName.Field" renames use it.
	Name string
	// Fields are the members in Go declaration order.
	Fields []FieldPlan[E]
	exact  map[string]int // wire name -> index into Fields
}

// FieldPlan is one wire member of a struct.
type FieldPlan[E any] struct {
	GoName string
	Wire   string   // the wire name
	Index  int      // index of the field in the Go struct (reflect.Value.Field)
	Pos    int      // index of this plan in StructPlan.Fields
	Plan   *Plan[E] // the field's type
	Ext    E        // the adapter's data for this member
}

// Lookup finds the member named name, exactly or else case-insensitively;
// exact reports which. A decoder lets an exact match win over a
// case-insensitive one whatever their order (see ExactSet).
func (sp *StructPlan[E]) Lookup(name []byte) (f *FieldPlan[E], exact bool) {
	if i, ok := sp.exact[string(name)]; ok {
		return &sp.Fields[i], true
	}
	for i := range sp.Fields {
		if equalFold(sp.Fields[i].Wire, name) {
			return &sp.Fields[i], false
		}
	}
	return nil, false
}

// LookupString is Lookup for a name held in a string.
func (sp *StructPlan[E]) LookupString(name string) (f *FieldPlan[E], exact bool) {
	if i, ok := sp.exact[name]; ok {
		return &sp.Fields[i], true
	}
	for i := range sp.Fields {
		if strings.EqualFold(sp.Fields[i].Wire, name) {
			return &sp.Fields[i], false
		}
	}
	return nil, false
}

// ExactSet records which members of one struct value were set by an exact
// name match, so that a later case-insensitive match does not overwrite
// them. The zero value is empty; it allocates only for structs of more than
// 64 members.
type ExactSet struct {
	small uint64
	big   map[int]bool
}

func (s *ExactSet) add(i int) {
	if i < 64 {
		s.small |= 1 << i
		return
	}
	if s.big == nil {
		s.big = map[int]bool{}
	}
	s.big[i] = true
}

func (s *ExactSet) has(i int) bool {
	if i < 64 {
		return s.small&(1<<i) != 0
	}
	return s.big[i]
}

// Accept reports whether a wire member matched to the field at position
// pos (FieldPlan.Pos), exactly or not, should be decoded, and records exact
// matches.
func (s *ExactSet) Accept(pos int, exact bool) bool {
	if exact {
		s.add(pos)
		return true
	}
	return !s.has(pos)
}

// equalFold reports whether s and b are equal under Unicode case folding,
// without allocating for ASCII input.
func equalFold(s string, b []byte) bool {
	if len(s) != len(b) {
		// Case folding can change the UTF-8 length only outside ASCII.
		if isASCII(s) && isASCIIBytes(b) {
			return false
		}
		return strings.EqualFold(s, string(b))
	}
	for i := 0; i < len(s); i++ {
		x, y := s[i], b[i]
		if x >= utf8.RuneSelf || y >= utf8.RuneSelf {
			return strings.EqualFold(s, string(b))
		}
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// planKey identifies a plan: the type and the naming that named it. The
// Rename map takes part by identity; the cache entry keeps the map alive,
// so its address cannot be reused by another map while the entry exists.
type planKey struct {
	t      reflect.Type
	lower  bool
	rename uintptr
}

type planEntry[E any] struct {
	plan   *Plan[E]
	rename map[string]string // pins the map whose address is in the key
}

// maxCachedPlans bounds a Cache. Plans are keyed by the identity of
// Naming.Rename, so a caller that built a new map for every call would
// otherwise grow the cache without end; past the bound, plans are built and
// used but not kept.
const maxCachedPlans = 10000

// Cache builds and keeps plans per Go type and Naming. The zero value is
// ready to use. A Cache is safe for concurrent use and must not be copied
// after first use.
type Cache[E Extension[E]] struct {
	m  sync.Map // planKey -> *planEntry[E]
	mu sync.Mutex
	n  int // entries in m; guarded by mu
}

var timeType = reflect.TypeFor[time.Time]()

// Plan returns the plan of t under n, building it on first use. The error
// reports a type the package does not support (see the package
// documentation) or two members with the same wire name; it does not name
// the package, for the adapter to prefix its own.
func (c *Cache[E]) Plan(t reflect.Type, n Naming) (*Plan[E], error) {
	key := planKey{t: t, lower: n.LowerCamel}
	if n.Rename != nil {
		key.rename = reflect.ValueOf(n.Rename).Pointer()
	}
	if e, ok := c.m.Load(key); ok {
		return e.(*planEntry[E]).plan, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m.Load(key); ok {
		return e.(*planEntry[E]).plan, nil
	}
	b := builder[E]{n: n, seen: map[reflect.Type]*Plan[E]{}}
	p, err := b.build(t)
	if err != nil {
		return nil, err
	}
	if c.n < maxCachedPlans {
		c.m.Store(key, &planEntry[E]{plan: p, rename: n.Rename})
		c.n++
	}
	return p, nil
}

type builder[E Extension[E]] struct {
	n    Naming
	seen map[reflect.Type]*Plan[E] // in progress or done; allows recursive types
}

func (b *builder[E]) build(t reflect.Type) (*Plan[E], error) {
	if p, ok := b.seen[t]; ok {
		return p, nil
	}
	p := &Plan[E]{Type: t}
	b.seen[t] = p
	switch {
	case t == timeType:
		p.Kind = Time
		return p, nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		p.Kind = Bytes
		return p, nil
	}
	var err error
	switch t.Kind() {
	case reflect.String:
		p.Kind = String
	case reflect.Bool:
		p.Kind = Bool
	case reflect.Int, reflect.Int64:
		p.Kind, p.Bits = Int, 64
	case reflect.Int32:
		p.Kind, p.Bits = Int, 32
	case reflect.Float64:
		p.Kind = Float64
	case reflect.Pointer:
		p.Kind = Pointer
		p.Elem, err = b.build(t.Elem())
	case reflect.Slice:
		p.Kind = Slice
		p.Elem, err = b.build(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("unsupported map key type %s in %s", t.Key(), t)
		}
		p.Kind = Map
		p.Elem, err = b.build(t.Elem())
	case reflect.Struct:
		p.Kind = Struct
		p.Struct, err = b.buildStruct(t)
	default:
		return nil, fmt.Errorf("unsupported type %s", t)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (b *builder[E]) buildStruct(t reflect.Type) (*StructPlan[E], error) {
	sp := &StructPlan[E]{Name: t.Name(), exact: map[string]int{}}
	var ext E
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			// Domain shapes name every member; an embedded field would
			// silently become a member named after its type.
			return nil, fmt.Errorf("embedded field %s.%s is not supported", t.Name(), f.Name)
		}
		switch f.Type.Kind() {
		case reflect.Func, reflect.Chan:
			continue
		}
		fp, err := b.build(f.Type)
		if err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", t.Name(), f.Name, err)
		}
		wire := b.n.Wire(sp.Name, f.Name)
		if wire == "" {
			return nil, fmt.Errorf("field %s.%s: empty wire name", t.Name(), f.Name)
		}
		if j, dup := sp.exact[wire]; dup {
			return nil, fmt.Errorf("fields %s.%s and %s.%s have the same wire name %q",
				t.Name(), sp.Fields[j].GoName, t.Name(), f.Name, wire)
		}
		sp.exact[wire] = len(sp.Fields)
		sp.Fields = append(sp.Fields, FieldPlan[E]{
			GoName: f.Name,
			Wire:   wire,
			Index:  i,
			Pos:    len(sp.Fields),
			Plan:   fp,
			Ext:    ext.ForMember(wire),
		})
	}
	return sp, nil
}
