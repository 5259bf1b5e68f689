package awsquery

import (
	"bytes"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
)

// The plan code is shared with awsjson by copy; the copies must not drift.
func TestPlanFilesIdentical(t *testing.T) {
	mine, err := os.ReadFile("codec_plan.go")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile("../awsjson/codec_plan.go")
	if err != nil {
		t.Skipf("awsjson not beside awsquery: %v", err)
	}
	theirs = bytes.Replace(theirs, []byte("package awsjson\n"), []byte("package awsquery\n"), 1)
	if !bytes.Equal(mine, theirs) {
		t.Error("awsquery/codec_plan.go and awsjson/codec_plan.go differ beyond the package clause")
	}
}

func TestCompareKeysKeepsSubtreesTogether(t *testing.T) {
	keys := []string{"St.S", "St-x", "St", "Tags.member.1.Key", "Tags.member.10.Key", "Tags.member.1-x", "Tags.member.1", "Tags.member.2.Key", "St\x00", "St/"}
	slices.SortFunc(keys, compareKeys)
	// Every name at or below a prefix P must be contiguous.
	for _, p := range []string{"St", "Tags.member.1", "Tags"} {
		first, last := -1, -1
		for i, k := range keys {
			if k == p || strings.HasPrefix(k, p+".") {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		for i := first; i <= last; i++ {
			if k := keys[i]; k != p && !strings.HasPrefix(k, p+".") {
				t.Errorf("%q splits the names under %q: %q", k, p, keys)
			}
		}
	}
}

func TestBuildTreeOneNodePerSegment(t *testing.T) {
	f := url.Values{"St": {""}, "St-x": {"1"}, "St.S": {"a"}, "St.N": {"2"}, "St.S.x": {"3"}}
	nodes := buildTree(f)
	count := map[string]int{}
	for ci := nodes[0].first; ci >= 0; ci = nodes[ci].next {
		count[nodes[ci].name]++
	}
	if count["St"] != 1 || count["St-x"] != 1 || len(count) != 2 {
		t.Errorf("root children = %v", count)
	}
	d := decoder{nodes: nodes}
	for i := range nodes {
		if i == 0 {
			continue
		}
		if got := d.path(int32(i)); nodes[i].hasValue && f.Get(got) != nodes[i].value {
			t.Errorf("node %d: path %q value %q", i, got, nodes[i].value)
		}
	}
}
