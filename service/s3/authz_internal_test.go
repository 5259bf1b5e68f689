package s3

import (
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/policy"
)

func TestPublicPolicy(t *testing.T) {
	const res = `"Resource":"arn:aws:s3:::b/*"`
	cases := []struct {
		stmt   string
		public bool
	}{
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `}`, true},
		{`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",` + res + `}`, true},
		{`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject",` + res + `}`, false},
		{`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject",` + res + `}`, false},
		{`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",` + res + `}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/x"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"s3:prefix":"x"}}}`, true},
		{`{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject",` + res + `}`, true},
	}
	for _, c := range cases {
		doc := `{"Version":"2012-10-17","Statement":[` + c.stmt + `]}`
		p, err := policy.Parse(doc, policy.Resource)
		if err != nil {
			t.Fatalf("%s: %v", c.stmt, err)
		}
		if got := isPublicPolicy(p); got != c.public {
			t.Errorf("%s: public %v, want %v", c.stmt, got, c.public)
		}
	}
}

func TestComposePolicy(t *testing.T) {
	bucket := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},` +
		`{"Sid":"D","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}`
	c := newComposedCache(8)
	if doc, _ := c.compose(bucket, false, ""); doc != bucket {
		t.Fatal("a bucket policy alone must be used as it is")
	}
	doc, err := c.compose(bucket, true, "")
	if err != nil || strings.Contains(doc, `"Sid":"A"`) || !strings.Contains(doc, `"Sid":"D"`) {
		t.Fatalf("deny-only: %s %v", doc, err)
	}
	var acl strings.Builder
	writeACLStatements(&acl, grantRec{CanonicalID("444455556666"), permRead}, "111122223333", false, "arn:aws:s3:::b/k", false)
	writeACLStatements(&acl, grantRec{CanonicalID("111122223333"), permFullControl}, "111122223333", false, "arn:aws:s3:::b/k", false)
	writeACLStatements(&acl, grantRec{groupAllUsers, permRead}, "111122223333", true, "arn:aws:s3:::b/k", false)
	doc, err = c.compose("", false, acl.String())
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		t.Fatalf("composed document does not parse: %v\n%s", err, doc)
	}
	// Only the grant to the other account survives: the owner's own
	// grant adds nothing, the public one is ignored (IgnorePublicAcls).
	if len(p.Statements) != 2 || !strings.Contains(doc, `"AWS":"444455556666"`) {
		t.Fatalf("ACL statements: %s", doc)
	}
	in := policy.Input{Request: policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
		Principal: policy.Principal{Type: policy.PrincipalRoot, Account: "444455556666", ARN: cairn.RootARN("444455556666")}},
		ResourcePolicy: p, ResourceAccount: "111122223333", Root: true}
	if !policy.Evaluate(in).Allowed() {
		t.Fatal("an ACL READ grant to an account does not let its root read")
	}
	in.Request.Action = "s3:PutObjectAcl"
	if policy.Evaluate(in).Allowed() {
		t.Fatal("an ACL READ grant allowed s3:PutObjectAcl")
	}
}

func TestParseRange(t *testing.T) {
	cases := []struct {
		h       string
		size    int64
		off, n  int64
		ok, bad bool
	}{
		{"bytes=0-9", 100, 0, 10, true, false},
		{"bytes=90-", 100, 90, 10, true, false},
		{"bytes=-5", 100, 95, 5, true, false},
		{"bytes=-500", 100, 0, 100, true, false},
		{"bytes=50-1000", 100, 50, 50, true, false},
		{"bytes=100-", 100, 0, 0, false, true},
		{"bytes=0-1,5-6", 100, 0, 0, false, false},
		{"items=0-1", 100, 0, 0, false, false},
		{"bytes=5-2", 100, 0, 0, false, false},
		{"bytes=x-", 100, 0, 0, false, false},
	}
	for _, c := range cases {
		r, ok, err := parseRange(c.h, c.size)
		if (err != nil) != c.bad || ok != c.ok || ok && (r.off != c.off || r.n != c.n) {
			t.Errorf("%s of %d: %+v %v %v", c.h, c.size, r, ok, err)
		}
	}
}

func TestGlobAndBucketResources(t *testing.T) {
	for _, c := range []struct {
		r  string
		ok bool
	}{
		{"arn:aws:s3:::b", true}, {"arn:aws:s3:::b/*", true}, {"arn:aws:s3:::b/a/b", true}, {"arn:aws:s3:::*", true},
		{"*", true}, {"arn:aws:s3:::b*", true}, {"arn:aws:s3:::other", false}, {"arn:aws:s3:::other/*", false}, {"arn:aws:s3:::bb", false},
	} {
		if got := resourceOfBucket(c.r, "b"); got != c.ok {
			t.Errorf("%s: %v", c.r, got)
		}
	}
}

func TestBucketNames(t *testing.T) {
	for _, n := range []string{"abc", "my-bucket", "my.bucket.1", strings.Repeat("a", 63)} {
		if !validBucketName(n) {
			t.Errorf("%q refused", n)
		}
	}
	for _, n := range []string{"ab", strings.Repeat("a", 64), "My-Bucket", "my_bucket", "-abc", "abc-", "a..b", "192.168.5.4",
		"xn--abc", "abc-s3alias", "abc--ol-s3", ".abc"} {
		if validBucketName(n) {
			t.Errorf("%q accepted", n)
		}
	}
}
