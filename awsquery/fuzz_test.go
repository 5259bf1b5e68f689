package awsquery_test

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsquery"
)

// FuzzDecodeQuery checks, for any form body: Decode does not panic and
// fails only with MalformedInput; what it accepts encodes to well-formed
// XML, and the value survives XML, form and back again stably. Seeds are in
// testdata/fuzz/FuzzDecodeQuery.
func FuzzDecodeQuery(f *testing.F) {
	type Tree struct {
		Name string
		Kids []Tree
		Attr map[string]*Tree
	}
	c := awsquery.Codec{MaxListLen: 50}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		var a All
		if err := c.Decode(form, &a, awsquery.Naming{}); err != nil {
			if ce := cairn.AsError(err); ce == nil || ce.Code != "MalformedInput" || ce.Status != 400 {
				t.Fatalf("Decode(%q) = %v", body, err)
			}
		} else {
			var x1, x2, x3 []byte
			x1 = encodeFuzz(t, &c, &a)
			var a2, a3 All
			if err := c.Decode(xmlToForm(t, string(x1)), &a2, awsquery.Naming{}); err != nil {
				t.Fatalf("Decode of re-encoded %q: %v\n%s", body, err, x1)
			}
			x2 = encodeFuzz(t, &c, &a2)
			if err := c.Decode(xmlToForm(t, string(x2)), &a3, awsquery.Naming{}); err != nil {
				t.Fatalf("Decode of twice re-encoded %q: %v\n%s", body, err, x2)
			}
			x3 = encodeFuzz(t, &c, &a3)
			if !bytes.Equal(x2, x3) {
				t.Fatalf("unstable: %q\n x2 %s\n x3 %s", body, x2, x3)
			}
		}
		var tr Tree
		if err := c.Decode(form, &tr, awsquery.Naming{LowerCamel: true}); err != nil {
			if cairn.AsError(err) == nil {
				t.Fatalf("Decode Tree(%q) = %v", body, err)
			}
		} else {
			encodeFuzz(t, &c, &tr)
		}
	})
}

func encodeFuzz(t *testing.T, c *awsquery.Codec, out any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.EncodeResponse(&buf, "Op", ns, "rid", out, awsquery.Naming{}); err != nil {
		t.Fatalf("EncodeResponse: %v", err)
	}
	if err := xml.Unmarshal(buf.Bytes(), new(struct{})); err != nil {
		t.Fatalf("EncodeResponse wrote malformed XML: %v\n%s", err, buf.Bytes())
	}
	return buf.Bytes()
}
