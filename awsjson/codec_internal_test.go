package awsjson

import (
	"sync"
	"testing"
)

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
