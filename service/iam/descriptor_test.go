package iam_test

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
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/service/iam"
)

// opTypes returns the input and output types of a row by invoking nothing:
// New gives the input; the output type comes from the handler's method.
func opTypes(t *testing.T, e *env, op *cairn.Operation) (in, out reflect.Type) {
	t.Helper()
	in = reflect.TypeOf(op.New()).Elem()
	m := reflect.ValueOf(e.svc).MethodByName(op.Name)
	if !m.IsValid() {
		t.Fatalf("%s: no handler method", op.Name)
	}
	out = m.Type().Out(0).Elem()
	return in, out
}

// entityless are the listings IAM authorizes on "*".
var entityless = map[string]bool{"ListUsers": true, "ListGroups": true, "ListRoles": true, "ListPolicies": true, "SimulateCustomPolicy": true}

func TestDescriptorRowsAreComplete(t *testing.T) {
	e := newEnv(t)
	if e.desc.Name != "iam" || e.desc.EventSource != "iam.amazonaws.com" || !e.desc.Global {
		t.Fatalf("service header %+v", e.desc)
	}
	seen := map[string]bool{}
	for i := range e.desc.Operations {
		op := &e.desc.Operations[i]
		t.Run(op.Name, func(t *testing.T) {
			if seen[op.Name] {
				t.Fatalf("duplicate row")
			}
			seen[op.Name] = true
			if op.Action != "iam:"+op.Name {
				t.Errorf("Action %q", op.Action)
			}
			if op.New == nil || op.Invoke == nil {
				t.Fatal("not bound with cairn.Define")
			}
			readOnly := strings.HasPrefix(op.Name, "Get") || strings.HasPrefix(op.Name, "List") || strings.HasPrefix(op.Name, "Simulate")
			if op.ReadOnly != readOnly {
				t.Errorf("ReadOnly %v", op.ReadOnly)
			}
			if op.AlwaysAllowed || op.Data {
				t.Errorf("IAM calls are authorized management events")
			}
			if op.Resources == nil && !entityless[op.Name] {
				t.Errorf("no Resources")
			}
			if op.Resources != nil && entityless[op.Name] {
				t.Errorf("%s acts on no entity; AWS authorizes it on *", op.Name)
			}
			in, out := opTypes(t, e, op)
			if in.NumField() > 0 && len(op.Request) == 0 {
				t.Errorf("no Request allow-list")
			}
			switch {
			case op.ReadOnly && len(op.Response) > 0:
				t.Errorf("read-only call records response elements (CloudTrail records null)")
			case !op.ReadOnly && out.NumField() > 0 && len(op.Response) == 0:
				t.Errorf("no Response allow-list")
			}
			for _, p := range op.Request {
				checkAllowed(t, in, p)
			}
			for _, p := range op.Response {
				checkAllowed(t, out, p)
			}
		})
	}
	if len(seen) != 65 {
		t.Errorf("%d operations, want the 59 of issue 2 §4 and the 6 of issue 3", len(seen))
	}
}

// checkAllowed fails when an allow-list entry names a missing member or a
// secret.
func checkAllowed(t *testing.T, typ reflect.Type, path string) {
	t.Helper()
	l := strings.ToLower(path)
	for _, bad := range []string{"secret", "password", "token"} {
		if strings.Contains(l, bad) {
			t.Errorf("allow-list entry %q names a secret", path)
		}
	}
	cur := typ
	for _, part := range strings.Split(path, ".") {
		for cur.Kind() == reflect.Pointer || cur.Kind() == reflect.Slice {
			cur = cur.Elem()
		}
		if cur.Kind() != reflect.Struct {
			t.Errorf("allow-list entry %q: %s is not a structure", path, cur)
			return
		}
		f, ok := cur.FieldByName(part)
		if !ok {
			t.Errorf("allow-list entry %q: %s has no member %s", path, cur, part)
			return
		}
		cur = f.Type
	}
}

func TestResourcesNameTheEntity(t *testing.T) {
	e := newEnv(t)
	must[iam.CreateUserOutput](e, "CreateUser", &iam.CreateUserInput{UserName: "Alice", Path: sp("/eng/")})
	pol := e.createPolicy("P", allowS3)
	key := e.createKey("alice")
	c := e.callAs(root())
	res := func(name string, in any) []cairn.Resource { return e.desc.Op(name).Resources(c, in) }

	userARN := "arn:aws:iam::" + acct + ":user/eng/Alice"
	got := res("DeleteUser", &iam.DeleteUserInput{UserName: "alice"})
	if len(got) != 1 || got[0].ARN != userARN || got[0].Type != "AWS::IAM::User" || got[0].Name != "Alice" {
		t.Errorf("DeleteUser resources %+v", got)
	}
	got = res("CreateUser", &iam.CreateUserInput{UserName: "bob", Path: sp("/x/")})
	if len(got) != 1 || got[0].ARN != "arn:aws:iam::"+acct+":user/x/bob" {
		t.Errorf("CreateUser resources %+v", got)
	}
	got = res("AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: "Alice", PolicyArn: pol.Arn})
	if len(got) != 2 || got[0].ARN != userARN || got[1].ARN != pol.Arn || got[1].Type != "AWS::IAM::Policy" || got[1].Name != "P" {
		t.Errorf("AttachUserPolicy resources %+v", got)
	}
	if cond := e.desc.Op("AttachUserPolicy").Conditions(c, &iam.AttachUserPolicyInput{UserName: "Alice", PolicyArn: pol.Arn}); cond["iam:policyarn"][0] != pol.Arn {
		t.Errorf("AttachUserPolicy conditions %v", cond)
	}
	got = res("UpdateAccessKey", &iam.UpdateAccessKeyInput{UserName: sp("Alice"), AccessKeyId: key.AccessKeyId, Status: "Inactive"})
	if len(got) != 2 || got[0].ARN != userARN || got[1].Type != "AWS::IAM::AccessKey" || got[1].Name != key.AccessKeyId {
		t.Errorf("UpdateAccessKey resources %+v", got)
	}
	got = res("GetAccessKeyLastUsed", &iam.GetAccessKeyLastUsedInput{AccessKeyId: key.AccessKeyId})
	if len(got) != 2 || got[0].ARN != userARN || got[1].Name != key.AccessKeyId {
		t.Errorf("GetAccessKeyLastUsed resources %+v", got)
	}
	// Without UserName the caller is the target.
	caller := e.userPrincipal(&iam.User{UserName: "Alice", Arn: userARN, UserId: "AIDAEXAMPLE"})
	got = e.desc.Op("CreateAccessKey").Resources(e.callAs(caller), &iam.CreateAccessKeyInput{})
	if len(got) != 1 || got[0].ARN != userARN || got[0].Name != "Alice" {
		t.Errorf("CreateAccessKey (self) resources %+v", got)
	}
	if r := e.desc.Op("ListUsers").Resources; r != nil {
		t.Errorf("ListUsers has resources")
	}
}

// The secret of a new key never reaches the event.
func TestCreateAccessKeyEventHasNoSecret(t *testing.T) {
	e := newEnv(t)
	e.createUser("alice")
	in := &iam.CreateAccessKeyInput{UserName: sp("alice")}
	out, err := e.invoke("CreateAccessKey", in)
	if err != nil {
		t.Fatal(err)
	}
	key := out.(*iam.CreateAccessKeyOutput).AccessKey
	op := e.desc.Op("CreateAccessKey")
	resp := string(audit.Params(out, op.Response))
	req := string(audit.Params(in, op.Request))
	if strings.Contains(resp, key.SecretAccessKey) || strings.Contains(strings.ToLower(resp), "secret") {
		t.Fatalf("response elements carry the secret: %s", resp)
	}
	if !strings.Contains(resp, key.AccessKeyId) || !strings.Contains(resp, `"status":"Active"`) || !strings.Contains(resp, `"userName":"alice"`) {
		t.Fatalf("response elements %s", resp)
	}
	if req != `{"userName":"alice"}` {
		t.Fatalf("request parameters %s", req)
	}
}

// botocoreModel loads the IAM service model from the installed botocore,
// or skips.
func botocoreModel(t *testing.T) map[string]any {
	t.Helper()
	dir, err := exec.Command("python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		t.Skip("botocore is not installed")
	}
	path := filepath.Join(strings.TrimSpace(string(dir)), "data", "iam", "2010-05-08", "service-2.json.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no IAM model in botocore: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.NewDecoder(zr).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

var timeType = reflect.TypeOf(time.Time{})

// TestShapesMatchBotocore checks every field of every input and output
// struct against the botocore IAM model: the member exists, and its Go type
// fits the member's shape. Input structs must also carry every member of
// the model's input, so that no parameter a client sends is dropped.
func TestShapesMatchBotocore(t *testing.T) {
	m := botocoreModel(t)
	e := newEnv(t)
	shapes := m["shapes"].(map[string]any)
	ops := m["operations"].(map[string]any)
	for i := range e.desc.Operations {
		op := &e.desc.Operations[i]
		t.Run(op.Name, func(t *testing.T) {
			mop, ok := ops[op.Name].(map[string]any)
			if !ok {
				t.Fatalf("botocore has no operation %s", op.Name)
			}
			in, out := opTypes(t, e, op)
			inShape := mop["input"].(map[string]any)["shape"].(string)
			checkShape(t, shapes, inShape, in, true, op.Name+" input")
			if o, ok := mop["output"].(map[string]any); ok {
				checkShape(t, shapes, o["shape"].(string), out, false, op.Name+" output")
			} else if out.NumField() != 0 {
				t.Errorf("%s has no output in the model, but %s has fields", op.Name, out)
			}
		})
	}
}

func checkShape(t *testing.T, shapes map[string]any, name string, typ reflect.Type, complete bool, where string) {
	t.Helper()
	shape := shapes[name].(map[string]any)
	members, _ := shape["members"].(map[string]any)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		mem, ok := members[f.Name].(map[string]any)
		if !ok {
			t.Errorf("%s: %s.%s is not a member of %s", where, typ.Name(), f.Name, name)
			continue
		}
		checkType(t, shapes, mem["shape"].(string), f.Type, where+"."+f.Name)
	}
	if complete {
		for mname := range members {
			if _, ok := typ.FieldByName(mname); !ok {
				t.Errorf("%s: %s lacks member %s of %s", where, typ.Name(), mname, name)
			}
		}
	}
	// Members the model requires must exist, in outputs too.
	required, _ := shape["required"].([]any)
	for _, r := range required {
		if _, ok := typ.FieldByName(r.(string)); !ok {
			t.Errorf("%s: %s lacks required member %s of %s", where, typ.Name(), r, name)
		}
	}
}

func checkType(t *testing.T, shapes map[string]any, name string, typ reflect.Type, where string) {
	t.Helper()
	shape := shapes[name].(map[string]any)
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
	case "list":
		ok = typ.Kind() == reflect.Slice
		if ok {
			checkType(t, shapes, shape["member"].(map[string]any)["shape"].(string), typ.Elem(), where+"[]")
		}
	case "structure":
		ok = typ.Kind() == reflect.Struct && typ != timeType
		if ok {
			checkShape(t, shapes, name, typ, false, where)
		}
	}
	if !ok {
		t.Errorf("%s: Go type %s does not fit %s shape %s", where, typ, kind, name)
	}
}
