package iam

import "testing"

func TestStatementSpans(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []span
	}{
		{"one object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
			[]span{{textPos{1, 37}, textPos{1, 85}}}},
		{"array over lines", "{\r\n \"Statement\": [\r\n  {\"Sid\":\"a\"},\r\n  {\"Sid\":\"b\"}\r\n ]\r\n}",
			[]span{{textPos{3, 3}, textPos{3, 13}}, {textPos{4, 3}, textPos{4, 13}}}},
		{"braces and escapes in strings", `{"Id":"{[\"}","Statement":[{"Sid":"x\"}]","Resource":"arn:aws:s3:::b/{*}"}]}`,
			[]span{{textPos{1, 28}, textPos{1, 74}}}},
		{"characters, not bytes", "{\"Id\":\"café\",\n\"Statement\":[{\"Sid\":\"é\"}]}",
			[]span{{textPos{2, 14}, textPos{2, 24}}}},
		{"statement after other members", `{"Statement":[],"Version":"2012-10-17"}`, nil},
		{"no statement", `{"Version":"2012-10-17"}`, nil},
	}
	for _, tc := range cases {
		got := statementSpans(tc.doc)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: statement %d at %+v, want %+v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

// The scanner trusts validated JSON but must stop, not panic, on anything.
func FuzzStatementSpans(f *testing.F) {
	for _, s := range []string{`{"Statement":[{"a":"b"}]}`, `{"Statement":{`, `{"Statement":[{"a":"\`, `{"x":[1,{"y":"}"}],"Statement":[{}]}`, `[`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		for _, sp := range statementSpans(doc) {
			if sp.Start.Line < 1 || sp.Start.Column < 1 || sp.End.Line < sp.Start.Line {
				t.Fatalf("span %+v of %q", sp, doc)
			}
		}
	})
}
