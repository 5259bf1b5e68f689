package awsjson

import (
	"fmt"
	"sync"
	"testing"
)

// A new Rename map per call must not grow the plan cache without bound.
func TestPlanCacheBounded(t *testing.T) {
	type In struct{ A, B string }
	var c Codec
	for i := 0; i < maxCachedPlans+500; i++ {
		var in In
		n := Naming{Rename: map[string]string{"A": fmt.Sprint("a", i%3)}}
		if err := c.Decode([]byte(`{"a0":"x","a1":"y","a2":"z","B":"b"}`), &in, n); err != nil {
			t.Fatal(err)
		}
		if want := []string{"x", "y", "z"}[i%3]; in.A != want || in.B != "b" {
			t.Fatalf("call %d: %+v", i, in)
		}
	}
	count := 0
	c.plans.m.Range(func(any, any) bool { count++; return true })
	if count != maxCachedPlans || c.plans.n != maxCachedPlans {
		t.Errorf("cache holds %d plans (counter %d), want %d", count, c.plans.n, maxCachedPlans)
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
					a := A{Name: "x", Items: []Leaf{{"v"}}}
					b, err := c.Encode(&a, n)
					if err != nil {
						t.Error(err)
						return
					}
					var back A
					if err := c.Decode(b, &back, n); err != nil || back.Name != "x" || len(back.Items) != 1 {
						t.Errorf("%s: %+v %v", b, back, err)
						return
					}
				} else {
					var b B
					if err := c.Decode([]byte(`{"Count":1,"Kids":{"k":{"Count":2}}}`), &b, n); err != nil || b.Count != 1 || b.Kids["k"].Count != 2 {
						t.Errorf("%+v %v", b, err)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
}
