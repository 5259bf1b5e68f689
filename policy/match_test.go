package policy

import "testing"

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		fold bool
		want bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"*", "anything/at:all", false, true},
		{"a*", "abc", false, true},
		{"a*", "ba", false, false},
		{"*c", "abc", false, true},
		{"a*c", "ac", false, true},
		{"a*c", "abcbc", false, true},
		{"a*c", "abcb", false, false},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"a?c", "abbc", false, false},
		{"a?c", "aéc", false, true}, // '?' is one character, not one byte
		{"??", "é", false, false},
		{"*a*b*c*", "xxaxxbxxcxx", false, true},
		{"*a*b*c*", "xxaxxcxxbxx", false, false},
		{"a**b", "ab", false, true},
		{"*?", "", false, false},
		{"*?", "x", false, true},
		{"ABC", "abc", false, false},
		{"ABC", "abc", true, true},
		{"s3:get*", "S3:GetObject", true, true},
		{"s3:get?bject", "S3:GETOBJECT", true, true},
		{"s3:get?bject", "S3:GETOOBJECT", true, false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/", false, true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b", false, false},
	} {
		if got := glob(tc.p, nil, tc.s, tc.fold); got != tc.want {
			t.Errorf("glob(%q, %q, fold=%v) = %v", tc.p, tc.s, tc.fold, got)
		}
	}
}

func TestGlobMaskMakesWildcardsLiteral(t *testing.T) {
	p := []byte("a*?b")
	if !glob(p, []bool{false, false, false, false}, "a*?b", false) {
		t.Error("masked wildcards must match themselves")
	}
	if glob(p, []bool{false, false, false, false}, "axyb", false) {
		t.Error("masked wildcards must not match other text")
	}
	if !glob(p, []bool{false, true, false, false}, "axyz?b", false) {
		t.Error("unmasked '*' must still be a wildcard")
	}
}

func TestEqualFold(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Alice", "aLICE", true},
		{"Alice", "Alic", false},
		{"ÄRGER", "ärger", true},
		{"straße", "STRASSE", false}, // simple folding only, as strings.EqualFold
		{"K", "\u212a", true},        // Kelvin sign folds to K
		{"", "", true},
	} {
		if got := equalFold(tc.a, tc.b); got != tc.want {
			t.Errorf("equalFold(%q, %q) = %v", tc.a, tc.b, got)
		}
		if got := equalFold([]byte(tc.a), tc.b); got != tc.want {
			t.Errorf("equalFold([]byte %q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestActionPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, action string
		want            bool
	}{
		{"*", "iam:CreateUser", true},
		{"iam:CreateUser", "iam:CreateUser", true},
		{"iam:CreateUser", "IAM:createuser", true},
		{"IAM:ListAccessKeys", "iam:listaccesskeys", true},
		{"iam:CreateUser", "iam:CreateUsers", false},
		{"iam:*", "iam:CreateUser", true},
		{"iam:*", "sts:AssumeRole", false},
		{"iam:*AccessKey*", "iam:UpdateAccessKey", true},
		{"iam:*AccessKey*", "iam:ListAccessKeys", true},
		{"iam:*AccessKey*", "iam:ListUsers", false},
		{"cloudtrail:Get*", "cloudtrail:GetTrailStatus", true},
		{"cloudtrail:Get*", "cloudtrail:DescribeTrails", false},
		{"s3:Get?bject", "s3:GetObject", true},
		{"s3:Get?bject", "s3:GetObjectAcl", false},
		{"*:GetObject", "s3:GetObject", true},
		{"s3:*", "s3-object-lambda:GetObject", false},
	} {
		if ap := compileAction(tc.pattern); ap.match(tc.action) != tc.want {
			t.Errorf("%q matches %q = %v", tc.pattern, tc.action, !tc.want)
		}
	}
}

func TestARNPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::b", true},
		{"*", "*", true},
		{"arn:aws:s3:::b", "*", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/a:b", true}, // '*' spans ':' in the resource part
		{"arn:aws:s3:::b/*", "arn:aws:s3:::bb/a", false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b/a", true},
		{"arn:aws:s3:::buck?t", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false}, // case-sensitive
		{"arn:aws:logs:*:111122223333:log-group:x:*", "arn:aws:logs:us-east-1:111122223333:log-group:x:log-stream:y", true},
		{"arn:aws:logs:*:111122223333:log-group:x:*", "arn:aws:logs:us-east-1:444455556666:log-group:x:log-stream:y", false},
		// A '*' in the region part cannot reach into the account part.
		{"arn:aws:iam:*", "arn:aws:iam::111122223333:user/alice", false},
		{"arn:aws:iam::*", "arn:aws:iam::111122223333:user/alice", false},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/alice", true},
		{"arn:aws:*:*:*:*", "arn:aws:s3:::b", true},
		{"arn:aws:*:*:*:*", "arn:aws:s3::b", false},
		{"arn:aws:ec2:us-?ast-1:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		{"arn:aws:fdsasf", "arn:aws:fdsasf", true},
		{"arn:aws:fdsasf", "arn:aws:fdsasf:::x", false},
	} {
		ap := compileARNPattern(tc.pattern, false, true)
		if got, _ := ap.match(tc.arn, nil); got != tc.want {
			t.Errorf("%q matches %q = %v", tc.pattern, tc.arn, got)
		}
	}
}

func TestSplitARNKeepsVariablesWhole(t *testing.T) {
	parts, n := splitARN("arn:aws:iam::${aws:PrincipalAccount}:role/${aws:PrincipalTag/a:b}", true)
	want := [6]string{"arn", "aws", "iam", "", "${aws:PrincipalAccount}", "role/${aws:PrincipalTag/a:b}"}
	if n != 6 || parts != want {
		t.Errorf("split = %d %q", n, parts)
	}
	parts, n = splitARN("arn:aws:iam::${aws:PrincipalAccount}:root", false)
	if n != 6 || parts[4] != "${aws" {
		t.Errorf("without variables the colon splits: %d %q", n, parts)
	}
}

func TestPatternLike(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything", true},
		{"home/*", "home/", true},
		{"home/*", "home/a/b", true},
		{"home/*", "Home/a", false},
		{"home/*", "hom", false},
		{"a?*", "a", false},
		{"a?*", "ab", true},
		{"a*b", "axxb", true},
		{"a*b", "axxc", false},
		{"plain", "plain", true},
		{"plain", "plainer", false},
	} {
		p := compilePattern(tc.p, true)
		if got, ok := p.like(tc.s, nil, false); got != tc.want || !ok {
			t.Errorf("%q like %q = %v, %v", tc.p, tc.s, got, ok)
		}
	}
}
