package awsjson_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsjson"
)

// FuzzDecodeJSON checks, for any body: Decode does not panic; it fails
// only with SerializationException; it never accepts what is not JSON;
// and what it accepts re-encodes stably (encode, decode, encode gives the
// same bytes). Seeds are in testdata/fuzz/FuzzDecodeJSON.
func FuzzDecodeJSON(f *testing.F) {
	type Tree struct {
		Name string
		Kids []Tree
		Attr map[string]*Tree
	}
	var c awsjson.Codec
	lower := awsjson.Naming{LowerCamel: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		var a All
		err := c.Decode(body, &a, awsjson.Naming{})
		if err != nil {
			if ce := cairn.AsError(err); ce == nil || ce.Code != "SerializationException" || ce.Status != 400 {
				t.Fatalf("Decode(%q) = %v", body, err)
			}
		} else {
			if blank := len(bytes.Trim(body, " \t\r\n")) == 0; !blank && !json.Valid(body) {
				t.Fatalf("Decode accepted invalid JSON %q", body)
			}
			b1, err := c.Encode(&a, awsjson.Naming{})
			if err != nil {
				t.Fatalf("Encode after Decode(%q): %v", body, err)
			}
			var a2 All
			if err := c.Decode(b1, &a2, awsjson.Naming{}); err != nil {
				t.Fatalf("Decode(Encode(Decode(%q))) = %v; encoded %s", body, err, b1)
			}
			b2, err := c.Encode(&a2, awsjson.Naming{})
			if err != nil || !bytes.Equal(b1, b2) {
				t.Fatalf("unstable: %q\n b1 %s\n b2 %s (%v)", body, b1, b2, err)
			}
		}
		var tr Tree
		if err := c.Decode(body, &tr, lower); err != nil {
			if ce := cairn.AsError(err); ce == nil || ce.Code != "SerializationException" {
				t.Fatalf("Decode Tree(%q) = %v", body, err)
			}
		} else if _, err := c.Encode(&tr, lower); err != nil {
			t.Fatalf("Encode Tree after Decode(%q): %v", body, err)
		}
	})
}
