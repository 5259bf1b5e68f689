package filterpattern_test

import (
	"strings"
	"testing"

	"github.com/cairnhq/cairn/filterpattern"
)

const unauthorizedPattern = `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`

// BenchmarkMatch measures Match on ~1 KB CloudTrail records: a match (the
// JSON is scanned), a miss the prefilter rules out, and a miss that needs
// the scan (the literal appears, but not in errorCode).
func BenchmarkMatch(b *testing.B) {
	denied := fixture(b, "cloudtrail_access_denied.json")
	kms := fixture(b, "cloudtrail_kms_disable.json")
	// AccessDenied appears, but not as the errorCode: the JSON is scanned.
	nearMiss := strings.Replace(denied, `"errorCode":"AccessDenied"`, `"errorCode":"NoSuchEntity"`, 1)
	nearMiss = strings.Replace(nearMiss, `"errorMessage":"User:`, `"errorMessage":"AccessDenied for User:`, 1)
	root := `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
	for _, bc := range []struct {
		name, pattern, message string
		want                   bool
	}{
		{"json/match", unauthorizedPattern, denied, true},
		{"json/prefiltered", unauthorizedPattern, kms, false},
		{"json/scanned-miss", unauthorizedPattern, nearMiss, false},
		{"json/root-usage-miss", root, kms, false},
		{"terms/match", `AccessDenied -root`, denied, true},
		{"terms/miss", `?ConsoleLogin ?StopLogging`, denied, false},
	} {
		p, err := filterpattern.Parse(bc.pattern)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.message)))
			b.ReportAllocs()
			for b.Loop() {
				if p.Match(bc.message) != bc.want {
					b.Fatal("wrong result")
				}
			}
		})
	}
}

// BenchmarkCandidates measures the batch prefilter on 1,000 records, 1% of
// which match: the per-chunk work of FilterLogEvents before any Match.
func BenchmarkCandidates(b *testing.B) {
	denied := fixture(b, "cloudtrail_access_denied.json")
	kms := fixture(b, "cloudtrail_kms_disable.json")
	var data []byte
	var ends []int
	for i := 0; i < 1000; i++ {
		m := kms
		if i%100 == 0 {
			m = denied
		}
		data = append(data, m...)
		ends = append(ends, len(data))
	}
	p, err := filterpattern.Parse(unauthorizedPattern)
	if err != nil {
		b.Fatal(err)
	}
	may := make([]bool, len(ends))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p.Candidates(data, ends, may)
	}
	n := 0
	for _, m := range may {
		if m {
			n++
		}
	}
	if n != 10 {
		b.Fatalf("%d candidates, want 10", n)
	}
}
