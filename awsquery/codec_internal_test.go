package awsquery

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

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
	params, nodes := buildTree(f)
	d := decoder{params: params, nodes: nodes}
	count := map[string]int{}
	for ci := nodes[0].first; ci >= 0; ci = nodes[ci].next {
		count[d.name(ci)]++
	}
	if count["St"] != 1 || count["St-x"] != 1 || len(count) != 2 {
		t.Errorf("root children = %v", count)
	}
	valued := 0
	for i := 1; i < len(nodes); i++ {
		path := d.path(int32(i))
		if !strings.HasSuffix(path, d.name(int32(i))) {
			t.Errorf("node %d: path %q does not end in its name %q", i, path, d.name(int32(i)))
		}
		if nodes[i].value >= 0 {
			valued++
			if f.Get(path) != d.value(int32(i)) {
				t.Errorf("node %d: path %q value %q", i, path, d.value(int32(i)))
			}
		}
	}
	if valued != len(f) {
		t.Errorf("%d nodes hold values, want %d", valued, len(f))
	}
}

// One Codec serves many goroutines, building plans for several types and
// namings at once (run with -race).
func TestCodecConcurrentUse(t *testing.T) {
	type Leaf struct{ V string }
	type A struct {
		Name  string
		Items []Leaf
	}
	type B struct {
		Count int32
		Kids  map[string]*B
	}
	var c Codec
	namings := []Naming{{}, {LowerCamel: true}, {Rename: map[string]string{"Name": "n"}}}
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				n := namings[(g+i)%len(namings)]
				if i%2 == 0 {
					var buf bytes.Buffer
					if err := c.EncodeResponse(&buf, "Op", "urn:x", "r", &A{Name: "x", Items: []Leaf{{"v"}}}, n); err != nil {
						t.Error(err)
						return
					}
					name := n.Wire("A", "Name")
					if !strings.Contains(buf.String(), "<"+name+">x</"+name+">") {
						t.Errorf("%s", buf.String())
						return
					}
				} else {
					var b B
					f := url.Values{n.Wire("B", "Count"): {"1"}, n.Wire("B", "Kids") + ".entry.1.key": {"k"}, n.Wire("B", "Kids") + ".entry.1.value." + n.Wire("B", "Count"): {"2"}}
					if err := c.Decode(f, &b, n); err != nil || b.Count != 1 || b.Kids["k"].Count != 2 {
						t.Errorf("%+v %v", b, err)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
}
