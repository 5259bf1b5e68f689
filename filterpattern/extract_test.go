package filterpattern_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/filterpattern"
)

func mustParse(t testing.TB, pattern string) *filterpattern.Pattern {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		t.Fatalf("Parse(%q): %v", pattern, err)
	}
	return p
}

// AWS's extractedValues example for a space-delimited pattern.
func TestExtracted(t *testing.T) {
	p := mustParse(t, `[..., request=*.html*, status_code=4*,]`)
	msg := `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`
	want := map[string]string{
		"$status_code": "404", "$request": "GET /index.html HTTP/1.0", "$7": "1534",
		"$4": "10/Oct/2000:13:25:15 -0700", "$3": "frank", "$2": "-", "$1": "127.0.0.1",
	}
	if got := p.Extracted(msg); !maps.Equal(got, want) {
		t.Fatalf("Extracted = %v, want %v", got, want)
	}
	if got := p.Extracted("no match here"); got != nil {
		t.Fatalf("Extracted of a non-match = %v, want nil", got)
	}
	// Other kinds of pattern extract nothing, as AWS's CLI example shows.
	if got := mustParse(t, "ERROR").Extracted("[ERROR] 400 BAD REQUEST"); got == nil || len(got) != 0 {
		t.Fatalf("terms Extracted = %v, want an empty map", got)
	}
	if got := mustParse(t, `{ $.a = 1 }`).Extracted(`{"a":1}`); got == nil || len(got) != 0 {
		t.Fatalf("JSON Extracted = %v, want an empty map", got)
	}
}

func TestValueAndField(t *testing.T) {
	j := mustParse(t, `{ $.latency = * }`)
	msg := `{"latency": 50, "requestType": "GET", "nested": {"bytes": "1024", "list": [1.5, "x"]}, "n": null, "t": true, "esc": "a\/b"}`
	for _, tc := range []struct {
		expr   string
		num    float64
		numOK  bool
		text   string
		textOK bool
	}{
		{"$.latency", 50, true, "50", true},
		{"$.requestType", 0, false, "GET", true},
		{"$.nested.bytes", 1024, true, "1024", true},
		{"$.nested.list[0]", 1.5, true, "1.5", true},
		{"$.nested.list[1]", 0, false, "x", true},
		{"$.nested", 0, false, "", false},
		{"$.missing", 0, false, "", false},
		{"$.n", 0, false, "", false},
		{"$.t", 0, false, "true", true},
		{"$.esc", 0, false, "a/b", true},
		{"1", 1, true, "1", true},
		{"2.5", 2.5, true, "2.5", true},
		{"$size", 0, false, "", false}, // not a space-delimited pattern
		{"nonsense", 0, false, "", false},
		{"$.a b", 0, false, "", false},
	} {
		n, ok := j.Value(msg, tc.expr)
		if ok != tc.numOK || n != tc.num {
			t.Errorf("Value(%q) = %v, %v; want %v, %v", tc.expr, n, ok, tc.num, tc.numOK)
		}
		s, ok := j.Field(msg, tc.expr)
		if ok != tc.textOK || s != tc.text {
			t.Errorf("Field(%q) = %q, %v; want %q, %v", tc.expr, s, ok, tc.text, tc.textOK)
		}
	}
	// Named fields of a space-delimited pattern.
	d := mustParse(t, `[ip, user, username, timestamp, request, status_code, size]`)
	line := `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`
	if v, ok := d.Value(line, "$size"); !ok || v != 1534 {
		t.Errorf("Value($size) = %v, %v", v, ok)
	}
	if s, ok := d.Field(line, "$request"); !ok || s != "GET /apache_pb.gif HTTP/1.0" {
		t.Errorf("Field($request) = %q, %v", s, ok)
	}
	if _, ok := d.Value(line, "$request"); ok {
		t.Error("Value of a non-numeric field succeeded")
	}
	if _, err := d.Selector("$nope"); err == nil {
		t.Error("Selector of an undeclared field succeeded")
	}
	if _, ok := d.Value("too few fields", "$size"); ok {
		t.Error("Value on a message that does not fit the pattern succeeded")
	}
	e := mustParse(t, `[..., status, bytes]`)
	if v, ok := e.Value("a b c 200 77", "$bytes"); !ok || v != 77 {
		t.Errorf("Value($bytes) after ... = %v, %v", v, ok)
	}
}

// The batch prefilter agrees with Match on a large mixed batch: it keeps
// every matching message, and rules out most of the others.
func TestCandidatesBatch(t *testing.T) {
	denied := fixture(t, "cloudtrail_access_denied.json")
	root := fixture(t, "cloudtrail_root_login.json")
	kms := fixture(t, "cloudtrail_kms_disable.json")
	escaped := strings.Replace(denied, `"AccessDenied"`, `"\u0041ccessDenied"`, 1)
	slashed := strings.Replace(kms, `"kms.amazonaws.com"`, `"kms.amazonaws.com\/"`, 1)
	pool := []string{denied, root, kms, escaped, slashed, "", "AccessDenied", `{"errorCode":"Access`}
	patterns := []string{
		`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`,
		`{ $.latency > 500 }`,
		`AccessDenied -alice`,
		`?ConsoleLogin ?DisableKey`,
		`[a, b = *Denied*]`,
		``,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var data []byte
	var ends []int
	var msgs []string
	for i := 0; i < 3000; i++ {
		m := pool[rng.IntN(len(pool))]
		msgs = append(msgs, m)
		data = append(data, m...)
		ends = append(ends, len(data))
	}
	for _, pat := range patterns {
		p := mustParse(t, pat)
		may := make([]bool, len(ends))
		p.Candidates(data, ends, may)
		kept, matched := 0, 0
		for i, m := range msgs {
			if p.Match(m) {
				matched++
				if !may[i] {
					t.Fatalf("%s: Candidates dropped matching message %d %.60q", pat, i, m)
				}
			}
			if may[i] {
				kept++
			}
		}
		t.Logf("%-60.60s matched %4d, kept %4d of %d", pat, matched, kept, len(msgs))
	}
	// A JSON literal that only appears across two messages is not a hit.
	p := mustParse(t, `{ $.k = "abcdef" }`)
	two := []byte(`{"k":"abc` + `def"}`)
	may := make([]bool, 2)
	p.Candidates(two, []int{9, len(two)}, may)
	if may[0] || may[1] {
		t.Fatalf("Candidates saw a literal across a message boundary: %v", may)
	}
}

func TestConcurrentUse(t *testing.T) {
	p := mustParse(t, `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`)
	denied := fixture(t, "cloudtrail_access_denied.json")
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 1000; i++ {
				if !p.Match(denied) {
					done <- fmt.Errorf("no match on iteration %d", i)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
