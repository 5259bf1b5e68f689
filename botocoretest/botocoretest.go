// Package botocoretest checks a service's Go shapes against the botocore
// model installed on the machine (the source of truth for operation names,
// members and their types), for the services' tests. It skips a test when
// botocore or the service's model is not installed.
package botocoretest

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
)

// Model is one service's botocore model.
type Model struct {
	Metadata   map[string]any
	Operations map[string]any
	Shapes     map[string]any
}

// Load reads data/<service>/<version>/service-2.json.gz of the installed
// botocore, or skips t.
func Load(t testing.TB, service, version string) *Model {
	t.Helper()
	dir, err := exec.Command("python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		t.Skip("botocore is not installed")
	}
	f, err := os.Open(filepath.Join(strings.TrimSpace(string(dir)), "data", service, version, "service-2.json.gz"))
	if err != nil {
		t.Skipf("no %s model in botocore: %v", service, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Metadata   map[string]any `json:"metadata"`
		Operations map[string]any `json:"operations"`
		Shapes     map[string]any `json:"shapes"`
	}
	if err := json.NewDecoder(zr).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return &Model{Metadata: m.Metadata, Operations: m.Operations, Shapes: m.Shapes}
}

// Required makes CheckOperations also demand the members the model marks
// required, in inputs and outputs.
type Required bool

// CheckOperations checks every operation of desc: the model has it, the
// input struct carries every member of the model's input (so that no
// parameter a client sends is dropped), every exported field of the input
// and output is a member whose Go type fits its shape, and an operation
// without an input or output in the model has no fields there. types
// returns an operation's input and output struct types.
func (m *Model) CheckOperations(t *testing.T, desc *cairn.Service, types func(op *cairn.Operation) (in, out reflect.Type), required Required) {
	for i := range desc.Operations {
		op := &desc.Operations[i]
		t.Run(op.Name, func(t *testing.T) {
			mop, ok := m.Operations[op.Name].(map[string]any)
			if !ok {
				t.Fatalf("botocore has no operation %s", op.Name)
			}
			in, out := types(op)
			for _, side := range []struct {
				member   string
				typ      reflect.Type
				complete bool
			}{{"input", in, true}, {"output", out, false}} {
				where := op.Name + " " + side.member
				if s, ok := mop[side.member].(map[string]any); ok {
					m.checkShape(t, s["shape"].(string), side.typ, side.complete, bool(required), where)
				} else if exported(side.typ) != 0 {
					t.Errorf("%s has no %s in the model, but %s has fields", op.Name, side.member, side.typ)
				}
			}
		})
	}
}

func exported(typ reflect.Type) int {
	n := 0
	for i := 0; i < typ.NumField(); i++ {
		if typ.Field(i).IsExported() {
			n++
		}
	}
	return n
}

func (m *Model) checkShape(t *testing.T, name string, typ reflect.Type, complete, required bool, where string) {
	t.Helper()
	shape := m.Shapes[name].(map[string]any)
	members, _ := shape["members"].(map[string]any)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		mem, ok := members[f.Name].(map[string]any)
		if !ok {
			t.Errorf("%s: %s.%s is not a member of %s", where, typ.Name(), f.Name, name)
			continue
		}
		m.checkType(t, mem["shape"].(string), f.Type, required, where+"."+f.Name)
	}
	if complete {
		for mname := range members {
			if _, ok := typ.FieldByName(mname); !ok {
				t.Errorf("%s: %s lacks member %s of %s", where, typ.Name(), mname, name)
			}
		}
	}
	if required {
		reqs, _ := shape["required"].([]any)
		for _, r := range reqs {
			if _, ok := typ.FieldByName(r.(string)); !ok {
				t.Errorf("%s: %s lacks required member %s of %s", where, typ.Name(), r, name)
			}
		}
	}
}

var timeType = reflect.TypeOf(time.Time{})

func (m *Model) checkType(t *testing.T, name string, typ reflect.Type, required bool, where string) {
	t.Helper()
	shape := m.Shapes[name].(map[string]any)
	kind := shape["type"].(string)
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	ok := false
	switch kind {
	case "string":
		ok = typ.Kind() == reflect.String
	case "integer":
		ok = typ.Kind() == reflect.Int32
	case "boolean":
		ok = typ.Kind() == reflect.Bool
	case "timestamp":
		ok = typ == timeType
	case "blob":
		ok = typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.Uint8
	case "list":
		ok = typ.Kind() == reflect.Slice
		if ok {
			m.checkType(t, shape["member"].(map[string]any)["shape"].(string), typ.Elem(), required, where+"[]")
		}
	case "map":
		ok = typ.Kind() == reflect.Map && typ.Key().Kind() == reflect.String
		if ok {
			m.checkType(t, shape["value"].(map[string]any)["shape"].(string), typ.Elem(), required, where+"{}")
		}
	case "structure":
		ok = typ.Kind() == reflect.Struct && typ != timeType
		if ok {
			m.checkShape(t, name, typ, false, required, where)
		}
	}
	if !ok {
		t.Errorf("%s: Go type %s does not fit %s shape %s", where, typ, kind, name)
	}
}
