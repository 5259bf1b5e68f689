package iam_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/audit"
	"github.com/cairnhq/cairn/botocoretest"
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

// TestShapesMatchBotocore checks every field of every input and output
// struct against the botocore IAM model: the member exists, and its Go type
// fits the member's shape. Input structs must also carry every member of
// the model's input, so that no parameter a client sends is dropped, and
// members the model requires must exist, in outputs too.
func TestShapesMatchBotocore(t *testing.T) {
	m := botocoretest.Load(t, "iam", "2010-05-08")
	e := newEnv(t)
	m.CheckOperations(t, e.desc, func(op *cairn.Operation) (reflect.Type, reflect.Type) { return opTypes(t, e, op) }, botocoretest.Required(true))
}
