package awsquery_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/quick"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsquery"
)

const ns = "https://iam.amazonaws.com/doc/2010-05-08/"

func envelope(action, result string) string {
	r := ""
	if result != "-" {
		r = "<" + action + "Result>" + result + "</" + action + "Result>"
	}
	return `<` + action + `Response xmlns="` + ns + `">` + r +
		`<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></` + action + `Response>`
}

func encodeString(t *testing.T, c *awsquery.Codec, out any, n awsquery.Naming) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.EncodeResponse(&buf, "Op", ns, "rid", out, n); err != nil {
		t.Fatalf("EncodeResponse(%#v): %v", out, err)
	}
	return buf.String()
}

func TestEncodeResponse(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	nyc := time.FixedZone("EST", -5*3600)
	cases := []struct {
		name string
		out  any
		want string // the Result content, or "-" for no Result element
	}{
		{"nil", nil, "-"},
		{"nil pointer", (*All)(nil), "-"},
		{"no fields", struct{}{}, "-"},
		{"only unexported fields", &struct{ x int }{1}, "-"},
		{"zero value: bools, numbers and structures only", All{},
			"<B>false</B><I>0</I><I32>0</I32><I64>0</I64><F>0</F><St></St>"},
		{"scalars", &All{S: "s", PS: ptr(""), E: "Blue", B: true, PB: ptr(false), I: -1, PI: ptr(0), I32: math.MaxInt32, PI32: ptr(int32(-2)),
			I64: math.MinInt64, PI64: ptr(int64(7)), F: 1.5, PF: ptr(0.0), T: ts, PT: ptr(ts), Blob: []byte{0, 1, 0xff}},
			"<S>s</S><PS></PS><E>Blue</E><B>true</B><PB>false</PB><I>-1</I><PI>0</PI><I32>2147483647</I32><PI32>-2</PI32>" +
				"<I64>-9223372036854775808</I64><PI64>7</PI64><F>1.5</F><PF>0</PF><T>2024-01-02T03:04:05Z</T><PT>2024-01-02T03:04:05Z</PT>" +
				"<Blob>AAH/</Blob><St></St>"},
		{"zero time behind a pointer is set", struct {
			T  time.Time
			PT *time.Time
			LT []time.Time
		}{PT: ptr(time.Time{}), LT: []time.Time{{}}}, "<PT>0001-01-01T00:00:00Z</PT><LT><member>0001-01-01T00:00:00Z</member></LT>"},
		{"time in another zone, sub-second dropped", struct{ T time.Time }{ts.Add(999 * time.Millisecond).In(nyc)}, "<T>2024-01-02T03:04:05Z</T>"},
		{"floats", struct{ A, B, C, D, E float64 }{1e21, 1e-7, math.NaN(), math.Inf(1), math.Inf(-1)},
			"<A>1e+21</A><B>1e-7</B><C>NaN</C><D>Infinity</D><E>-Infinity</E>"},
		{"empty containers are present", All{L: []string{}, LS: []Inner{}, M: map[string]string{}, Blob: []byte{}},
			"<B>false</B><I>0</I><I32>0</I32><I64>0</I64><F>0</F><Blob></Blob><L/><LS/><M/><St></St>"},
		{"lists", struct {
			L  []string
			LL [][]int32
			LS []Inner
			LP []*Inner
		}{[]string{"a", ""}, [][]int32{{1, 2}, {}}, []Inner{{S: "x"}, {N: ptr(int32(3))}}, []*Inner{nil, {S: "y"}, nil}},
			"<L><member>a</member><member></member></L>" +
				"<LL><member><member>1</member><member>2</member></member><member></member></LL>" +
				"<LS><member><S>x</S></member><member><N>3</N></member></LS>" +
				"<LP><member><S>y</S></member></LP>"},
		{"maps sorted", struct {
			M  map[string]string
			MS map[string]*Inner
			MI map[Enum]int32
		}{map[string]string{"b": "2", "a": "1", "": "e"}, map[string]*Inner{"k": {S: "v"}, "nil": nil}, map[Enum]int32{"Users": 3}},
			"<M><entry><key></key><value>e</value></entry><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></M>" +
				"<MS><entry><key>k</key><value><S>v</S></value></entry></MS>" +
				"<MI><entry><key>Users</key><value>3</value></entry></MI>"},
		{"nested pointers", struct {
			P  *Inner
			PP **string
			NP **string
		}{&Inner{S: "x"}, ptr(ptr("deep")), ptr((*string)(nil))}, "<P><S>x</S></P><PP>deep</PP>"},
		{"escaping", struct{ S string }{"a&b<c>d\"e'f]]>g\rh\ni\tj\x00k\x1fl\xffm\uFFFEn"},
			"<S>a&amp;b&lt;c&gt;d\"e'f]]&gt;g&#xD;h\ni\tj\uFFFDk\uFFFDl\uFFFDm\uFFFDn</S>"},
	}
	var c awsquery.Codec
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := encodeString(t, &c, tc.out, awsquery.Naming{})
			if want := envelope("Op", tc.want); got != want {
				t.Errorf("\n got %s\nwant %s", got, want)
			}
			if err := xml.Unmarshal([]byte(got), new(struct{})); err != nil {
				t.Errorf("not well-formed XML: %v", err)
			}
		})
	}
}

func TestEncodeResponseNaming(t *testing.T) {
	type Policy struct{ Arn string }
	type Out struct {
		Arn      string
		Policies []Policy
		Name     string
	}
	var c awsquery.Codec
	out := Out{"a", []Policy{{"p"}}, "n"}
	got := encodeString(t, &c, out, awsquery.Naming{Rename: map[string]string{"Policy.Arn": "arn", "Name": "name"}})
	if want := envelope("Op", "<Arn>a</Arn><Policies><member><arn>p</arn></member></Policies><name>n</name>"); got != want {
		t.Errorf("rename:\n got %s\nwant %s", got, want)
	}
	got = encodeString(t, &c, out, awsquery.Naming{LowerCamel: true})
	if want := envelope("Op", "<arn>a</arn><policies><member><arn>p</arn></member></policies><name>n</name>"); got != want {
		t.Errorf("lowerCamel:\n got %s\nwant %s", got, want)
	}
}

func TestEncodeResponseEscapesEnvelope(t *testing.T) {
	var c awsquery.Codec
	var buf bytes.Buffer
	if err := c.EncodeResponse(&buf, "Op", `urn:"a"&<b>`, "r<&>", nil, awsquery.Naming{}); err != nil {
		t.Fatal(err)
	}
	want := `<OpResponse xmlns="urn:&quot;a&quot;&amp;&lt;b&gt;"><ResponseMetadata><RequestId>r&lt;&amp;&gt;</RequestId></ResponseMetadata></OpResponse>`
	if buf.String() != want {
		t.Errorf("\n got %s\nwant %s", buf.String(), want)
	}
}

func TestEncodeResponseErrors(t *testing.T) {
	var c awsquery.Codec
	type Bad struct{ C complex128 }
	type Cycle struct{ Next *Cycle }
	loop := &Cycle{}
	loop.Next = loop
	for name, out := range map[string]any{"int": 3, "slice": []All{}, "unsupported field": Bad{}, "cycle": loop} {
		var buf bytes.Buffer
		if err := c.EncodeResponse(&buf, "Op", ns, "rid", out, awsquery.Naming{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	w := failWriter{}
	if err := c.EncodeResponse(w, "Op", ns, "rid", nil, awsquery.Naming{}); !errors.Is(err, errWrite) {
		t.Errorf("write error = %v", err)
	}
}

var errWrite = errors.New("write failed")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

// Any string survives EncodeResponse and encoding/xml, except for the
// characters XML 1.0 cannot carry, which become U+FFFD.
func TestEncodeResponseStringsRoundTrip(t *testing.T) {
	var c awsquery.Codec
	type Out struct{ S string }
	check := func(s string) bool {
		var buf bytes.Buffer
		if err := c.EncodeResponse(&buf, "Op", ns, "rid", Out{s}, awsquery.Naming{}); err != nil {
			return false
		}
		var parsed struct {
			S string `xml:"OpResult>S"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &parsed); err != nil {
			t.Logf("%q: %v", s, err)
			return false
		}
		return parsed.S == xmlSafe(s)
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
	for _, s := range []string{"\r\n", "a\rb", "\x00", "\xc3", "😀", "\uFFFF", "]]>", "&#x41;", " lead and trail "} {
		if !check(s) {
			t.Errorf("%q does not round-trip", s)
		}
	}
}

// xmlSafe is s with the characters XML 1.0 cannot carry replaced.
func xmlSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func TestEncodeError(t *testing.T) {
	cases := []struct {
		e    *cairn.Error
		want string
	}{
		{&cairn.Error{Code: "NoSuchEntity", Message: "The user with name x cannot be found.", Status: 404},
			`<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message></Error><RequestId>rid</RequestId></ErrorResponse>`},
		{&cairn.Error{Code: "ServiceFailure", Message: "a <b> & c", Status: 500},
			`<ErrorResponse xmlns="` + ns + `"><Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>a &lt;b&gt; &amp; c</Message></Error><RequestId>rid</RequestId></ErrorResponse>`},
		{&cairn.Error{Code: "MalformedInput", Status: 400},
			`<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>MalformedInput</Code></Error><RequestId>rid</RequestId></ErrorResponse>`},
		{nil,
			`<ErrorResponse xmlns="` + ns + `"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>The request processing has failed because of an unknown error, exception or failure.</Message></Error><RequestId>rid</RequestId></ErrorResponse>`},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		awsquery.EncodeError(&buf, ns, tc.e, "rid")
		if buf.String() != tc.want {
			t.Errorf("\n got %s\nwant %s", buf.String(), tc.want)
		}
	}
}

// Encoding then decoding gives back the value, for every type the two
// directions share (the Query request and response formats differ only in
// framing).
func TestEncodeDecodeAgree(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	in := All{S: "s&<", PS: ptr(""), E: "E", B: true, PB: ptr(false), I: -1, PI: ptr(2), I32: 3, PI32: ptr(int32(4)), I64: 5, PI64: ptr(int64(6)),
		F: 0.5, PF: ptr(-1e-7), T: ts, PT: ptr(ts), Blob: []byte{1, 2}, L: []string{"a", "b"}, LL: [][]int32{{1}, {2, 3}},
		LS: []Inner{{S: "x"}}, LP: []*Inner{{N: ptr(int32(9))}}, M: map[string]string{"k": "v"}, MS: map[string]Inner{"a": {S: "b"}},
		ML: map[string][]string{"m": {"n"}}, St: Inner{S: "st"}, PSt: &Inner{}}
	var c awsquery.Codec
	body := encodeString(t, &c, in, awsquery.Naming{})
	// Turn the XML into a form: the encoding's element paths are the form's
	// parameter names.
	form := xmlToForm(t, body)
	var out All
	if err := c.Decode(form, &out, awsquery.Naming{}); err != nil {
		t.Fatalf("Decode(%v): %v", form, err)
	}
	if got, want := encodeString(t, &c, out, awsquery.Naming{}), body; got != want {
		t.Errorf("round trip:\n got %s\nwant %s\nform %v", got, want, form)
	}
}

// xmlToForm flattens the Result element of a Query response into form
// parameters, numbering <member> and <entry> elements as a client would.
func xmlToForm(t *testing.T, body string) map[string][]string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	form := map[string][]string{}
	var path []string
	var counters []map[string]int
	var text strings.Builder
	inResult := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			name := tk.Name.Local
			if name == "OpResult" {
				inResult = true
				counters = []map[string]int{{}}
				continue
			}
			if !inResult {
				continue
			}
			seg := name
			if name == "member" || name == "entry" {
				counters[len(counters)-1][name]++
				seg = name + "." + strconv.Itoa(counters[len(counters)-1][name])
			}
			path = append(path, seg)
			counters = append(counters, map[string]int{})
			text.Reset()
		case xml.CharData:
			text.Write(tk)
		case xml.EndElement:
			if tk.Name.Local == "OpResult" {
				inResult = false
				continue
			}
			if !inResult {
				continue
			}
			key := strings.Join(path, ".")
			if len(counters[len(counters)-1]) == 0 && !hasChild(form, key) {
				form[key] = []string{text.String()}
			}
			path = path[:len(path)-1]
			counters = counters[:len(counters)-1]
			text.Reset()
		}
	}
	return form
}

func hasChild(form map[string][]string, key string) bool {
	for k := range form {
		if strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}
