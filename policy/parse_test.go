package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"testing"
)

func TestParseEchoesDocument(t *testing.T) {
	doc := `{"Version":"2012-10-17","Id":"key-policy-1","Statement":[
		{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/alice"],"Service":"cloudtrail.amazonaws.com"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*",
		 "Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}},
		{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:Get*","NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/x"]}]}`
	p := mustParse(t, doc, Resource)
	sum := sha256.Sum256([]byte(doc))
	if p.Hash != hex.EncodeToString(sum[:]) || p.Text != doc || p.ID != "key-policy-1" || p.Version != Version2012 || !p.vars {
		t.Errorf("policy header = %+v", p)
	}
	if len(p.Statements) != 2 {
		t.Fatalf("%d statements", len(p.Statements))
	}
	a, d := p.Statements[0], p.Statements[1]
	if a.Sid != "A" || a.Index != 0 || a.Effect != EffectAllow || d.Index != 1 || d.Effect != EffectDeny {
		t.Errorf("statement headers: %+v / %+v", a, d)
	}
	if !reflect.DeepEqual(a.Action, []string{"s3:GetObject", "s3:PutObject"}) || a.NotAction != nil {
		t.Errorf("Action = %v NotAction = %v", a.Action, a.NotAction)
	}
	if !reflect.DeepEqual(a.Resource, []string{"arn:aws:s3:::b/*"}) || a.NotResource != nil {
		t.Errorf("Resource = %v", a.Resource)
	}
	wantP := map[string][]string{"AWS": {"111122223333", "arn:aws:iam::111122223333:user/alice"}, "Service": {"cloudtrail.amazonaws.com"}}
	if !reflect.DeepEqual(a.Principal, wantP) || a.NotPrincipal != nil {
		t.Errorf("Principal = %v", a.Principal)
	}
	wantC := []Condition{
		{Operator: "NumericLessThan", Key: "s3:max-keys", Values: []string{"10"}},
		{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
	}
	if !reflect.DeepEqual(a.Condition, wantC) {
		t.Errorf("Condition = %+v", a.Condition)
	}
	if !reflect.DeepEqual(d.NotAction, []string{"s3:Get*"}) || !reflect.DeepEqual(d.NotResource, []string{"arn:aws:s3:::b", "arn:aws:s3:::b/x"}) {
		t.Errorf("NotAction/NotResource = %v %v", d.NotAction, d.NotResource)
	}
	if !reflect.DeepEqual(d.NotPrincipal, map[string][]string{"*": {"*"}}) {
		t.Errorf("NotPrincipal = %v", d.NotPrincipal)
	}
}

func TestParseSingleStatementObjectAndVersions(t *testing.T) {
	for _, tc := range []struct {
		doc     string
		version string
		vars    bool
	}{
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Version2012, true},
		{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Version2008, false},
		{`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, "", false},
	} {
		p := mustParse(t, tc.doc, Identity)
		if p.Version != tc.version || p.vars != tc.vars || len(p.Statements) != 1 {
			t.Errorf("%s: Version=%q vars=%v statements=%d", tc.doc, p.Version, p.vars, len(p.Statements))
		}
	}
}

func TestParseHashDiffersPerDocument(t *testing.T) {
	a := mustParse(t, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), Identity)
	b := mustParse(t, stmt(`{"Effect":"Allow","Action":"s3:*", "Resource":"*"}`), Identity)
	if a.Hash == b.Hash || len(a.Hash) != 64 {
		t.Errorf("hashes %q %q", a.Hash, b.Hash)
	}
}

func TestParseCollectsConditionKeys(t *testing.T) {
	p := mustParse(t, stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*",
		"Condition":{"StringEquals":{"AWS:SourceIp":"x","s3:prefix":"${aws:PrincipalTag/Team}"},"Null":{"aws:MultiFactorAuthAge":"true"}}}`), Identity)
	want := []string{"aws:username", "aws:sourceip", "aws:principaltag/team", "s3:prefix"}
	if got := p.Statements[0].keys; !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

func TestKindAndEffectNames(t *testing.T) {
	names := map[Kind]string{Identity: "identity-based policy", Resource: "resource-based policy", Trust: "role trust policy",
		SCP: "service control policy", Boundary: "permissions boundary", Session: "session policy", 0: "unknown policy kind"}
	for k, want := range names {
		if k.String() != want {
			t.Errorf("%d.String() = %q", k, k.String())
		}
	}
	if EffectAllow.String() != "Allow" || EffectDeny.String() != "Deny" {
		t.Error("statement effect names")
	}
	if Allow.String() != "Allow" || ExplicitDeny.String() != "ExplicitDeny" || ImplicitDeny.String() != "ImplicitDeny" {
		t.Error("decision effect names")
	}
	var zero Decision
	if zero.Allowed() || zero.Effect != ImplicitDeny {
		t.Error("the zero Decision must deny")
	}
}
