package policy

import (
	"strings"
	"testing"
)

// variableCases check policy variables in Resource and in condition values,
// through Evaluate: the identity policy allows s3:GetObject when both its
// resource pattern and its condition match.
var variableCases = []struct {
	name     string
	version  string // "" omits the Version element
	resource string // the statement's Resource
	cond     string // the statement's Condition, or ""
	request  string // the requested resource
	ctx      ctx
	want     bool
}{
	// Resource.
	{"resource username", Version2012, "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home/alice/x", ctx{"aws:username": {"alice"}}, true},
	{"resource other user", Version2012, "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home/bob/x", ctx{"aws:username": {"alice"}}, false},
	{"resource variable missing", Version2012, "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home//x", nil, false},
	{"resource variable missing literal", Version2012, "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home/${aws:username}/x", nil, false},
	{"resource variable multivalued", Version2012, "arn:aws:s3:::b/${x:k}", "", "arn:aws:s3:::b/a", ctx{"x:k": {"a", "b"}}, false},
	{"resource default used", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*", "", "arn:aws:s3:::b/shared/x", nil, true},
	{"resource default ignored when set", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*", "", "arn:aws:s3:::b/shared/x", ctx{"aws:principaltag/team": {"blue"}}, false},
	{"resource default tight spacing", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team,'shared'}", "", "arn:aws:s3:::b/shared", nil, true},
	{"resource tag variable", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/Team}/*", "", "arn:aws:s3:::b/blue/x", ctx{"aws:principaltag/team": {"blue"}}, true},
	{"resource userid", Version2012, "arn:aws:s3:::b/${aws:userid}/*", "", "arn:aws:s3:::b/AIDAEXAMPLE/x", ctx{"aws:userid": {"AIDAEXAMPLE"}}, true},
	{"resource value star is literal", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team}/x", "", "arn:aws:s3:::b/blue/x", ctx{"aws:principaltag/team": {"*"}}, false},
	{"resource value star matches itself", Version2012, "arn:aws:s3:::b/${aws:PrincipalTag/team}/x", "", "arn:aws:s3:::b/*/x", ctx{"aws:principaltag/team": {"*"}}, true},
	{"resource escaped star", Version2012, "arn:aws:s3:::b/${*}", "", "arn:aws:s3:::b/*", nil, true},
	{"resource escaped star literal", Version2012, "arn:aws:s3:::b/${*}", "", "arn:aws:s3:::b/x", nil, false},
	{"resource escaped question", Version2012, "arn:aws:s3:::b/what${?}", "", "arn:aws:s3:::b/what?", nil, true},
	{"resource escaped question literal", Version2012, "arn:aws:s3:::b/what${?}", "", "arn:aws:s3:::b/whatx", nil, false},
	{"resource escaped dollar", Version2012, "arn:aws:s3:::b/${$}{x}", "", "arn:aws:s3:::b/${x}", nil, true},
	{"resource 2008 keeps text", Version2008, "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home/${aws:username}/x", ctx{"aws:username": {"alice"}}, true},
	{"resource 2008 no substitution", Version2008, "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home/alice/x", ctx{"aws:username": {"alice"}}, false},
	{"resource no version no substitution", "", "arn:aws:s3:::b/home/${aws:username}/*", "", "arn:aws:s3:::b/home/alice/x", ctx{"aws:username": {"alice"}}, false},
	{"resource unterminated is literal", Version2012, "arn:aws:s3:::b/${aws:username", "", "arn:aws:s3:::b/${aws:username", ctx{"aws:username": {"alice"}}, true},
	{"resource malformed default is literal", Version2012, "arn:aws:s3:::b/${a:b, c}", "", "arn:aws:s3:::b/${a:b, c}", ctx{"a:b": {"x"}}, true},
	{"resource variable in account part stays text", Version2012, "arn:aws:s3:::b/*", "", "arn:aws:s3:::b/x", nil, true},

	// Condition values.
	{"StringEquals variable", Version2012, "*", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"alice"}, "aws:username": {"alice"}}, true},
	{"StringEquals variable other", Version2012, "*", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"bob"}, "aws:username": {"alice"}}, false},
	{"StringEquals variable missing", Version2012, "*", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {""}}, false},
	{"StringNotEquals variable missing", Version2012, "*", `{"StringNotEquals":{"s3:prefix":"${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"x"}}, true},
	{"StringEquals variable default", Version2012, "*", `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"company-wide"}}, true},
	{"StringEqualsIgnoreCase variable", Version2012, "*", `{"StringEqualsIgnoreCase":{"s3:prefix":"HOME/${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"home/ALICE"}, "aws:username": {"alice"}}, true},
	{"StringLike variable and wildcard", Version2012, "*", `{"StringLike":{"s3:prefix":["home/${aws:username}/*","home/${aws:username}"]}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"home/alice/docs"}, "aws:username": {"alice"}}, true},
	{"StringLike variable value is literal", Version2012, "*", `{"StringLike":{"s3:prefix":"home/${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"home/alice"}, "aws:username": {"a*"}}, false},
	{"StringLike escaped star", Version2012, "*", `{"StringLike":{"s3:prefix":"a${*}b"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"a*b"}}, true},
	{"StringLike escaped star literal", Version2012, "*", `{"StringLike":{"s3:prefix":"a${*}b"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"axxb"}}, false},
	{"StringLike 2008 literal", Version2008, "*", `{"StringLike":{"s3:prefix":"home/${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"home/alice"}, "aws:username": {"alice"}}, false},
	{"StringEquals 2008 literal text", Version2008, "*", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, "arn:aws:s3:::b", ctx{"s3:prefix": {"${aws:username}"}}, true},
	{"ArnLike variable in account", Version2012, "*", `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:${aws:PrincipalAccount}:trail/*"}}`, "arn:aws:s3:::b", ctx{"aws:sourcearn": {"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}, "aws:principalaccount": {"111122223333"}}, true},
	{"ArnLike variable in account other", Version2012, "*", `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:${aws:PrincipalAccount}:trail/*"}}`, "arn:aws:s3:::b", ctx{"aws:sourcearn": {"arn:aws:cloudtrail:us-east-1:444455556666:trail/t"}, "aws:principalaccount": {"111122223333"}}, false},
	{"ArnNotLike variable missing", Version2012, "*", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::${x:b}"}}`, "arn:aws:s3:::b", ctx{"aws:sourcearn": {"arn:aws:s3:::b"}}, true},
	{"Numeric no variables", Version2012, "*", `{"NumericEquals":{"s3:max-keys":"${x:n}"}}`, "arn:aws:s3:::b", ctx{"s3:max-keys": {"10"}, "x:n": {"10"}}, false},
	{"IpAddress no variables", Version2012, "*", `{"IpAddress":{"aws:SourceIp":"${x:ip}"}}`, "arn:aws:s3:::b", ctx{"aws:sourceip": {"10.0.0.1"}, "x:ip": {"10.0.0.1"}}, false},
}

func TestVariables(t *testing.T) {
	for _, tc := range variableCases {
		t.Run(tc.name, func(t *testing.T) {
			ver := ""
			if tc.version != "" {
				ver = `"Version":"` + tc.version + `",`
			}
			cond := ""
			if tc.cond != "" {
				cond = `,"Condition":` + tc.cond
			}
			doc := `{` + ver + `"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + tc.resource + `"` + cond + `}}`
			p := mustParse(t, doc, Identity)
			req := Request{Action: "s3:GetObject", Resource: tc.request, Principal: alice, Context: lowerCtx(tc.ctx)}
			if got := Evaluate(Input{Request: req, Identity: []*Policy{p}}).Allowed(); got != tc.want {
				t.Errorf("%s\nrequest %s ctx %v: allowed=%v, want %v", doc, tc.request, tc.ctx, got, tc.want)
			}
		})
	}
}

func TestTemplateExpandsWithoutHeapForShortValues(t *testing.T) {
	tm := parseTemplate("home/${aws:username}/${*}")
	if tm == nil || len(tm.keys) != 1 || tm.keys[0] != "aws:username" {
		t.Fatalf("template = %+v", tm)
	}
	ctx := map[string][]string{"aws:username": {"alice"}}
	good := true
	allocs := testing.AllocsPerRun(100, func() {
		var eb expandBuf
		b, m, ok := tm.expand(ctx, eb.b[:], eb.m[:])
		good = good && ok && string(b) == "home/alice/*" && !m[len(m)-1] && m[len(m)-2] == false
	})
	if !good {
		t.Error("expand produced the wrong text or mask")
	}
	if allocs != 0 {
		t.Errorf("expand allocated %v times", allocs)
	}
	// Values longer than the buffer still expand, on the heap.
	long := strings.Repeat("x", 1000)
	var eb expandBuf
	b, _, ok := tm.expand(map[string][]string{"aws:username": {long}}, eb.b[:], eb.m[:])
	if !ok || string(b) != "home/"+long+"/*" {
		t.Errorf("long expansion failed")
	}
}

func TestParseTemplatePlainText(t *testing.T) {
	for _, s := range []string{"plain", "a$b", "a{b}", "${", "${}", "${ }", "${a b}"} {
		if tm := parseTemplate(s); tm != nil {
			t.Errorf("parseTemplate(%q) = %+v, want nil (plain text)", s, tm)
		}
	}
}
