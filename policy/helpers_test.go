package policy

import (
	"errors"
	"strings"
	"testing"
)

const (
	acct      = "111122223333"
	otherAcct = "444455556666"
	aliceARN  = "arn:aws:iam::111122223333:user/alice"
	bobARN    = "arn:aws:iam::111122223333:user/bob"
	roleARN   = "arn:aws:iam::111122223333:role/Admin"
	sessARN   = "arn:aws:sts::111122223333:assumed-role/Admin/s1"
	rootARN   = "arn:aws:iam::111122223333:root"
)

var (
	alice = Principal{Type: PrincipalIAMUser, ARN: aliceARN, Account: acct}
	bob   = Principal{Type: PrincipalIAMUser, ARN: bobARN, Account: acct}
	root  = Principal{Type: PrincipalRoot, ARN: rootARN, Account: acct}
	sess  = Principal{Type: PrincipalAssumedRole, ARN: sessARN, Account: acct, IssuerARN: roleARN}
	fed   = Principal{Type: PrincipalFederatedUser, ARN: "arn:aws:sts::111122223333:federated-user/carol", Account: acct, IssuerARN: aliceARN}
	anon  = Principal{Type: PrincipalAnonymous}
	trail = Principal{Type: PrincipalAWSService, ServiceName: "cloudtrail.amazonaws.com"}
	// A user of another account.
	dave = Principal{Type: PrincipalIAMUser, ARN: "arn:aws:iam::444455556666:user/dave", Account: otherAcct}
)

// mustParse parses doc or fails the test.
func mustParse(t testing.TB, doc string, kind Kind) *Policy {
	t.Helper()
	p, err := Parse(doc, kind)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

// named parses doc and names the policy.
func named(t testing.TB, name, doc string, kind Kind) *Policy {
	t.Helper()
	p := mustParse(t, doc, kind)
	p.Name = name
	return p
}

// stmt wraps statement JSON objects into a 2012-10-17 document.
func stmt(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

// lowerCtx lower-cases context keys as the Request contract requires.
func lowerCtx(ctx map[string][]string) map[string][]string {
	if ctx == nil {
		return nil
	}
	out := make(map[string][]string, len(ctx))
	for k, v := range ctx {
		out[strings.ToLower(k)] = v
	}
	return out
}

// validationError asserts err is a *ValidationError and returns it.
func validationError(t *testing.T, err error) *ValidationError {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	return ve
}
