package awsjson_test

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"testing/quick"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsjson"
)

func TestEncode(t *testing.T) {
	ts := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	est := time.FixedZone("EST", -5*3600)
	cases := []struct {
		name string
		out  any
		want string
	}{
		{"nil", nil, `{}`},
		{"nil pointer", (*All)(nil), `{}`},
		{"no fields", struct{}{}, `{}`},
		{"only unexported fields", &struct{ x int }{1}, `{}`},
		{"zero value: bools, numbers and structures only", All{}, `{"B":false,"I":0,"I32":0,"I64":0,"F":0,"St":{}}`},
		{"scalars", &All{S: "s", PS: ptr(""), E: "Blue", B: true, PB: ptr(false), I: -1, PI: ptr(0), I32: math.MaxInt32, PI32: ptr(int32(-2)),
			I64: math.MinInt64, PI64: ptr(int64(7)), F: 1.5, PF: ptr(0.0), T: ts, PT: ptr(ts), Blob: []byte{0, 1, 0xff}},
			`{"S":"s","PS":"","E":"Blue","B":true,"PB":false,"I":-1,"PI":0,"I32":2147483647,"PI32":-2,"I64":-9223372036854775808,"PI64":7,` +
				`"F":1.5,"PF":0,"T":1717113600,"PT":1717113600,"Blob":"AAH/","St":{}}`},
		{"timestamps", struct{ A, B, C, D, E, F time.Time }{
			ts.Add(500 * time.Millisecond), ts.Add(123 * time.Millisecond), ts.Add(123456789), ts.Add(999 * time.Microsecond),
			ts.In(est), time.Unix(-2, 500000000),
		}, `{"A":1717113600.5,"B":1717113600.123,"C":1717113600.123,"D":1717113600,"E":1717113600,"F":-1.5}`},
		{"floats", struct{ A, B, C, D, E, F float64 }{1e21, 1e-7, 123456789.25, math.NaN(), math.Inf(1), math.Inf(-1)},
			`{"A":1e+21,"B":1e-7,"C":123456789.25,"D":"NaN","E":"Infinity","F":"-Infinity"}`},
		{"empty containers are present", All{L: []string{}, LS: []Inner{}, M: map[string]string{}, Blob: []byte{}},
			`{"B":false,"I":0,"I32":0,"I64":0,"F":0,"Blob":"","L":[],"LS":[],"M":{},"St":{}}`},
		{"lists", struct {
			L  []string
			LL [][]int32
			LS []Inner
			LP []*Inner
		}{[]string{"a", ""}, [][]int32{{1, 2}, {}, nil}, []Inner{{S: "x"}, {N: ptr(int32(3))}}, []*Inner{nil, {S: "y"}, nil}},
			`{"L":["a",""],"LL":[[1,2],[],[]],"LS":[{"S":"x"},{"N":3}],"LP":[{"S":"y"}]}`},
		{"maps sorted", struct {
			M  map[string]string
			MS map[string]*Inner
			MI map[Enum]int32
		}{map[string]string{"b": "2", "a": "1", "": "e"}, map[string]*Inner{"k": {S: "v"}, "nil": nil}, map[Enum]int32{"Users": 3}},
			`{"M":{"":"e","a":"1","b":"2"},"MS":{"k":{"S":"v"}},"MI":{"Users":3}}`},
		{"nested pointers", struct {
			P  *Inner
			PP **string
			NP **string
		}{&Inner{S: "x"}, ptr(ptr("deep")), ptr((*string)(nil))}, `{"P":{"S":"x"},"PP":"deep","NP":null}`},
		{"escaping", struct{ S string }{"q\"b\\s/\b\f\n\r\t\x00\x1f\x7f<>&é\u2028\u2029\xff😀"},
			`{"S":"q\"b\\s/\u0008\u000c\n\r\t\u0000\u001f` + "\x7f<>&é" + `\u2028\u2029\ufffd` + "😀" + `"}`},
	}
	var c awsjson.Codec
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Encode(tc.out, awsjson.Naming{})
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
			if !json.Valid(got) {
				t.Errorf("not valid JSON: %s", got)
			}
		})
	}
}

func TestEncodeNaming(t *testing.T) {
	type Trail struct{ Name, TrailARN string }
	type Out struct {
		TrailList []Trail
		NextToken string
	}
	var c awsjson.Codec
	out := Out{[]Trail{{"a", "arn"}}, "n"}
	got, err := c.Encode(out, awsjson.Naming{Rename: map[string]string{"TrailList": "trailList", "Trail.Name": "name"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"trailList":[{"name":"a","TrailARN":"arn"}],"NextToken":"n"}`; string(got) != want {
		t.Errorf("rename:\n got %s\nwant %s", got, want)
	}
	got, _ = c.Encode(out, awsjson.Naming{LowerCamel: true})
	if want := `{"trailList":[{"name":"a","trailARN":"arn"}],"nextToken":"n"}`; string(got) != want {
		t.Errorf("lowerCamel:\n got %s\nwant %s", got, want)
	}
}

func TestEncodeErrors(t *testing.T) {
	var c awsjson.Codec
	type Bad struct{ C complex128 }
	type Cycle struct{ Next *Cycle }
	loop := &Cycle{}
	loop.Next = loop
	for name, out := range map[string]any{"int": 3, "slice": []All{}, "unsupported field": Bad{}, "cycle": loop} {
		if b, err := c.Encode(out, awsjson.Naming{}); err == nil {
			t.Errorf("%s: no error, %s", name, b)
		}
	}
}

// The result of Encode belongs to the caller: later calls must not reuse it.
func TestEncodeResultNotShared(t *testing.T) {
	var c awsjson.Codec
	a, _ := c.Encode(struct{ S string }{"first"}, awsjson.Naming{})
	b, _ := c.Encode(struct{ S string }{"second!"}, awsjson.Naming{})
	if string(a) != `{"S":"first"}` || string(b) != `{"S":"second!"}` {
		t.Errorf("a = %s, b = %s", a, b)
	}
}

// Any string survives Encode and encoding/json, except invalid UTF-8,
// which becomes U+FFFD.
func TestEncodeStringsRoundTrip(t *testing.T) {
	var c awsjson.Codec
	type Out struct{ S string }
	check := func(s string) bool {
		b, err := c.Encode(Out{s}, awsjson.Naming{})
		if err != nil {
			return false
		}
		var parsed Out
		if err := json.Unmarshal(b, &parsed); err != nil {
			return false
		}
		var mine Out
		if err := c.Decode(b, &mine, awsjson.Naming{}); err != nil {
			return false
		}
		want := toValidUTF8(s)
		return parsed.S == want && mine.S == want
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
	for _, s := range []string{"", "\x00", "\xc3", "\xed\xa0\x80", "\u2028", `\u0041`, "\"\\"} {
		if s != "" && !check(s) {
			t.Errorf("%q does not round-trip", s)
		}
	}
}

func toValidUTF8(s string) string {
	var out []rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		out = append(out, r)
		i += size
	}
	return string(out)
}

// Encoding then decoding gives back the value (to the millisecond for
// timestamps).
func TestEncodeDecodeRoundTrip(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	in := All{S: "s", PS: ptr(""), E: "E", B: true, PB: ptr(false), I: -1, PI: ptr(2), I32: 3, PI32: ptr(int32(4)), I64: 5, PI64: ptr(int64(6)),
		F: 0.5, PF: ptr(-1e-7), T: ts, PT: ptr(ts), Blob: []byte{1, 2}, L: []string{"a", "b"}, LL: [][]int32{{1}, {}},
		LS: []Inner{{S: "x"}}, LP: []*Inner{{N: ptr(int32(9))}}, M: map[string]string{"k": "v"}, MS: map[string]Inner{"a": {S: "b"}},
		ML: map[string][]string{"m": {"n"}}, St: Inner{S: "st"}, PSt: &Inner{}}
	var c awsjson.Codec
	b, err := c.Encode(&in, awsjson.Naming{})
	if err != nil {
		t.Fatal(err)
	}
	var out All
	if err := c.Decode(b, &out, awsjson.Naming{}); err != nil {
		t.Fatalf("Decode(%s): %v", b, err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip\n got %+v\nwant %+v\nbody %s", out, in, b)
	}
}

func TestEncodeError(t *testing.T) {
	cases := []struct {
		e    *cairn.Error
		want string
	}{
		{&cairn.Error{Code: "TrailNotFoundException", Message: "Unknown trail: x", Status: 400}, `{"__type":"TrailNotFoundException","message":"Unknown trail: x"}`},
		{&cairn.Error{Code: "SerializationException", Status: 400}, `{"__type":"SerializationException"}`},
		{&cairn.Error{Code: "X", Message: "quote \" and \n newline", Status: 400}, `{"__type":"X","message":"quote \" and \n newline"}`},
		{nil, `{"__type":"InternalFailure","message":"The request processing has failed because of an unknown error, exception or failure."}`},
	}
	for _, tc := range cases {
		if got := awsjson.EncodeError(tc.e); string(got) != tc.want {
			t.Errorf("\n got %s\nwant %s", got, tc.want)
		}
	}
}
