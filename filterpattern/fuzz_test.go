package filterpattern_test

import (
	"testing"

	"github.com/cairnhq/cairn/filterpattern"
)

// FuzzParse: Parse never panics; a pattern it accepts never panics on any
// message, and the batch prefilter never drops a message Match accepts.
func FuzzParse(f *testing.F) {
	for _, seed := range []struct{ pattern, message string }{
		{"", "x"},
		{`ERROR -Exiting ?WARN "a phrase"`, "ERROR a phrase"},
		{`%^[hc]at{1,2}\d$%`, "hat1"},
		{`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`, `{"errorCode":"AccessDenied"}`},
		{`{ $.a[0].b >= 1e3 && $.c NOT EXISTS || $.d IS NULL }`, `{"a":[{"b":1000}],"d":null}`},
		{`{ $.k = "\u00e9*" }`, `{"k":"\u00e9t\u00e9"}`},
		{`[ip, user = "-", ..., status = 4* && status != 403, bytes > 1000]`, `1.2.3.4 - x "GET /" [t z] 404 2000`},
		{`[a = %^\d+$%, b]`, `12 x`},
		{`{ $.a = %x% }`, `{"a":"\"x\\"}`},
	} {
		f.Add(seed.pattern, seed.message)
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := filterpattern.Parse(pattern)
		if err != nil {
			if p != nil {
				t.Fatalf("Parse(%q) returned a pattern and an error", pattern)
			}
			return
		}
		matched := p.Match(message)
		may := []bool{false, false}
		data := append([]byte(message), message...)
		p.Candidates(data, []int{len(message), len(data)}, may)
		if matched && !(may[0] && may[1]) {
			t.Fatalf("Parse(%q): Candidates %v dropped a match of %q", pattern, may, message)
		}
		p.Extracted(message)
		p.Value(message, "$.a")
		p.Field(message, "$.a[0].b")
		p.Value(message, "$ip")
		p.Field(message, "$bytes")
	})
}
