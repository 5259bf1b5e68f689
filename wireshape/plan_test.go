package wireshape

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// tagExt stands in for an adapter's Extension: it records the wire name it
// was built for, decorated so that a test can tell it was built.
type tagExt struct{ tag string }

func (tagExt) ForMember(wire string) tagExt { return tagExt{tag: "<" + wire + ">"} }

type named string

type allKinds struct {
	S      string
	N      named
	B      bool
	I      int
	I32    int32
	I64    int64
	F      float64
	T      time.Time
	Blob   []byte
	P      *string
	L      []string
	M      map[string]int
	Nested struct{ X string }
	hidden string
	Fn     func()
	Ch     chan int
	Last   *time.Time
}

func TestPlanKindsAndFields(t *testing.T) {
	if Pointer.String() != "Pointer" || Kind(0).String() != "Kind(0)" {
		t.Errorf("Kind names: %v %v", Pointer, Kind(0))
	}
	var c Cache[tagExt]
	p, err := c.Plan(reflect.TypeFor[allKinds](), Naming{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != Struct || p.Type != reflect.TypeFor[allKinds]() || p.Struct.Name != "allKinds" {
		t.Fatalf("root plan: %v %v %q", p.Kind, p.Type, p.Struct.Name)
	}
	want := []struct {
		name string
		kind Kind
		bits int
	}{
		{"S", String, 0}, {"N", String, 0}, {"B", Bool, 0}, {"I", Int, 64}, {"I32", Int, 32},
		{"I64", Int, 64}, {"F", Float64, 0}, {"T", Time, 0}, {"Blob", Bytes, 0}, {"P", Pointer, 0},
		{"L", Slice, 0}, {"M", Map, 0}, {"Nested", Struct, 0}, {"Last", Pointer, 0},
	}
	fields := p.Struct.Fields
	if len(fields) != len(want) {
		t.Fatalf("%d fields, want %d (hidden, func and chan fields skipped)", len(fields), len(want))
	}
	rt := reflect.TypeFor[allKinds]()
	for i, w := range want {
		f := fields[i]
		if f.GoName != w.name || f.Wire != w.name || f.Plan.Kind != w.kind || f.Plan.Bits != w.bits {
			t.Errorf("field %d: %s/%s %v bits %d, want %s %v bits %d", i, f.GoName, f.Wire, f.Plan.Kind, f.Plan.Bits, w.name, w.kind, w.bits)
		}
		if f.Pos != i || rt.Field(f.Index).Name != f.GoName {
			t.Errorf("field %s: Pos %d Index %d", f.GoName, f.Pos, f.Index)
		}
		if f.Ext.tag != "<"+f.Wire+">" {
			t.Errorf("field %s: Ext %q", f.GoName, f.Ext.tag)
		}
	}
	if e := fields[9].Plan.Elem; e.Kind != String {
		t.Errorf("*string elem: %v", e.Kind)
	}
	if e := fields[11].Plan.Elem; e.Kind != Int || e.Bits != 64 {
		t.Errorf("map value: %v %d", e.Kind, e.Bits)
	}
	if e := fields[13].Plan.Elem; e.Kind != Time {
		t.Errorf("*time.Time elem: %v", e.Kind)
	}
	if fields[12].Plan.Struct.Fields[0].Wire != "X" {
		t.Errorf("nested: %+v", fields[12].Plan.Struct)
	}
}

type tree struct {
	Value string
	Kids  []*tree
	Index map[string]tree
}

func TestPlanRecursiveTypeIsCyclic(t *testing.T) {
	var c Cache[tagExt]
	p, err := c.Plan(reflect.TypeFor[tree](), Naming{})
	if err != nil {
		t.Fatal(err)
	}
	if kid := p.Struct.Fields[1].Plan.Elem.Elem; kid != p {
		t.Errorf("Kids element plan %p, want the root %p", kid, p)
	}
	if v := p.Struct.Fields[2].Plan.Elem; v != p {
		t.Errorf("Index value plan %p, want the root %p", v, p)
	}
}

func TestPlanErrors(t *testing.T) {
	type BadMap struct{ M map[int]string }
	type BadIface struct{ X any }
	type BadUint struct{ U uint }
	type Inner struct{ A string }
	type Embedded struct{ Inner }
	type BadArray struct{ A [2]string }
	type Dup struct{ A, B string }
	type Deep struct{ L []map[string]*BadUint }
	for _, tc := range []struct {
		typ  reflect.Type
		n    Naming
		want string
	}{
		{reflect.TypeFor[BadMap](), Naming{}, "field BadMap.M: unsupported map key type int in map[int]string"},
		{reflect.TypeFor[BadIface](), Naming{}, "field BadIface.X: unsupported type interface {}"},
		{reflect.TypeFor[BadUint](), Naming{}, "field BadUint.U: unsupported type uint"},
		{reflect.TypeFor[Embedded](), Naming{}, "embedded field Embedded.Inner is not supported"},
		{reflect.TypeFor[BadArray](), Naming{}, "field BadArray.A: unsupported type [2]string"},
		{reflect.TypeFor[Dup](), Naming{Rename: map[string]string{"B": "A"}}, `fields Dup.A and Dup.B have the same wire name "A"`},
		{reflect.TypeFor[Dup](), Naming{Rename: map[string]string{"Dup.B": ""}}, "field Dup.B: empty wire name"},
		{reflect.TypeFor[Deep](), Naming{}, "field Deep.L: field BadUint.U: unsupported type uint"},
	} {
		var c Cache[tagExt]
		p, err := c.Plan(tc.typ, tc.n)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: plan %v, error %v; want %q", tc.typ, p, err, tc.want)
		}
		// A failed build is not cached: it fails again.
		if _, err := c.Plan(tc.typ, tc.n); err == nil {
			t.Errorf("%s: second call succeeded", tc.typ)
		}
	}
}

func TestLookup(t *testing.T) {
	type S struct{ UserName, Élan, Path string }
	var c Cache[tagExt]
	p, err := c.Plan(reflect.TypeFor[S](), Naming{Rename: map[string]string{"Path": "path"}})
	if err != nil {
		t.Fatal(err)
	}
	sp := p.Struct
	for _, tc := range []struct {
		name  string
		field string // "" for no match
		exact bool
	}{
		{"UserName", "UserName", true},
		{"username", "UserName", false},
		{"USERNAME", "UserName", false},
		{"UserNam", "", false},
		{"UserNames", "", false},
		{"Élan", "Élan", true},
		{"éLAN", "Élan", false},
		{"path", "Path", true},
		{"PATH", "Path", false},
		{"Path\u212a", "", false}, // Kelvin sign: a longer UTF-8 name folding to no member
		{"", "", false},
	} {
		for _, variant := range []string{"Lookup", "LookupString"} {
			var f *FieldPlan[tagExt]
			var exact bool
			if variant == "Lookup" {
				f, exact = sp.Lookup([]byte(tc.name))
			} else {
				f, exact = sp.LookupString(tc.name)
			}
			got := ""
			if f != nil {
				got = f.GoName
			}
			if got != tc.field || exact != tc.exact {
				t.Errorf("%s(%q) = %q exact %v, want %q exact %v", variant, tc.name, got, exact, tc.field, tc.exact)
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { sp.Lookup([]byte("USERNAME")) }); n != 0 {
		t.Errorf("case-insensitive ASCII Lookup allocates %v times", n)
	}
}

func TestEqualFold(t *testing.T) {
	for _, tc := range []struct {
		s, b string
		want bool
	}{
		{"abc", "ABC", true},
		{"abc", "abd", false},
		{"abc", "abcd", false},
		{"a[c", "a{c", false}, // '[' and '{' differ by the case bit but are not letters
		{"straße", "STRASSE", false},
		{"k", "\u212a", true}, // Kelvin sign folds to k; lengths differ
		{"ǅ", "ǆ", true},
	} {
		if got := equalFold(tc.s, []byte(tc.b)); got != tc.want || got != strings.EqualFold(tc.s, tc.b) {
			t.Errorf("equalFold(%q, %q) = %v, want %v", tc.s, tc.b, got, tc.want)
		}
	}
}

func TestExactSet(t *testing.T) {
	var s ExactSet
	for _, pos := range []int{0, 63, 64, 200} {
		if !s.Accept(pos, false) {
			t.Errorf("%d: inexact match refused before any exact one", pos)
		}
		if !s.Accept(pos, true) {
			t.Errorf("%d: exact match refused", pos)
		}
		if s.Accept(pos, false) {
			t.Errorf("%d: inexact match accepted after an exact one", pos)
		}
		if !s.Accept(pos, true) {
			t.Errorf("%d: second exact match refused", pos)
		}
	}
	if s.Accept(1, false) != true || s.Accept(65, false) != true {
		t.Error("positions never matched exactly are refused")
	}
}

func TestCacheReturnsSamePlan(t *testing.T) {
	type S struct{ A string }
	var c Cache[tagExt]
	rename := map[string]string{"A": "a"}
	p1, _ := c.Plan(reflect.TypeFor[S](), Naming{Rename: rename})
	p2, _ := c.Plan(reflect.TypeFor[S](), Naming{Rename: rename})
	p3, _ := c.Plan(reflect.TypeFor[S](), Naming{})
	p4, _ := c.Plan(reflect.TypeFor[S](), Naming{LowerCamel: true})
	if p1 != p2 {
		t.Error("same type and Naming: a new plan")
	}
	if p1 == p3 || p3 == p4 || p1 == p4 {
		t.Error("different Namings share a plan")
	}
	if p1.Struct.Fields[0].Wire != "a" || p3.Struct.Fields[0].Wire != "A" || p4.Struct.Fields[0].Wire != "a" {
		t.Errorf("wire names %q %q %q", p1.Struct.Fields[0].Wire, p3.Struct.Fields[0].Wire, p4.Struct.Fields[0].Wire)
	}
}

// A new Rename map per call must not grow the plan cache without bound.
func TestCacheBounded(t *testing.T) {
	type In struct{ A, B string }
	var c Cache[tagExt]
	for i := 0; i < maxCachedPlans+500; i++ {
		wire := fmt.Sprint("a", i%3)
		p, err := c.Plan(reflect.TypeFor[In](), Naming{Rename: map[string]string{"A": wire}})
		if err != nil {
			t.Fatal(err)
		}
		if f, exact := p.Struct.LookupString(wire); f == nil || !exact || f.GoName != "A" {
			t.Fatalf("call %d: %q matches %+v", i, wire, f)
		}
		if f, exact := p.Struct.LookupString("B"); f == nil || !exact || f.GoName != "B" {
			t.Fatalf("call %d: B matches %+v", i, f)
		}
	}
	count := 0
	c.m.Range(func(any, any) bool { count++; return true })
	if count != maxCachedPlans || c.n != maxCachedPlans {
		t.Errorf("cache holds %d plans (counter %d), want %d", count, c.n, maxCachedPlans)
	}
}

// One Cache serves many goroutines building plans for several types and
// namings at once (run with -race); each key gets a single plan.
func TestCacheConcurrentUse(t *testing.T) {
	types := []reflect.Type{reflect.TypeFor[allKinds](), reflect.TypeFor[tree](), reflect.TypeFor[struct{ Name string }]()}
	namings := []Naming{{}, {LowerCamel: true}, {Rename: map[string]string{"Name": "n"}}}
	var c Cache[tagExt]
	const goroutines = 16
	got := make([][]*Plan[tagExt], goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		got[g] = make([]*Plan[tagExt], 9)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 90 {
				k := (g + i) % 9
				p, err := c.Plan(types[k/3], namings[k%3])
				if err != nil {
					t.Error(err)
					return
				}
				got[g][k] = p
			}
		}()
	}
	wg.Wait()
	for g := 1; g < goroutines; g++ {
		for k := range got[g] {
			if got[g][k] != got[0][k] {
				t.Errorf("goroutine %d, key %d: a different plan", g, k)
			}
		}
	}
}
