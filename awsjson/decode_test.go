package awsjson_test

// The SerializationException messages checked here are AWS's (Coral's):
//   - "STRING_VALUE can not be converted to an Integer": CodeDeploy, JSON 1.1
//     (github.com/aws/aws-sdk-js-v3/issues/5198); SQS JSON
//     (github.com/async-aws/aws/issues/1667).
//   - "NUMBER_VALUE can not be converted to a String", "TRUE_VALUE/FALSE_VALUE
//     can not be converted to an Integer", "Start of list found where not
//     expected", "Start of structure or map found where not expected.",
//     "Expected list or null", "Expected null", fractions truncated into
//     integers, nulls dropped, no message for a body that is not JSON:
//     raw-HTTP probes of Athena (JSON 1.1) recorded by a public emulator's
//     test suite.
//   - "STRING_VALUE can not be converted to an Boolean" (sic) and
//     "... to a Long": probes of SES v2 and Amazon's AMC API in public test
//     suites; "Expected map or null" and the Blob wording: the DynamoDB
//     validation suite of dynalite (older Coral wording, same templates).
// Timestamp and Double targets follow the same template; no recorded AWS
// response was found for them.

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/awsjson"
)

type Enum string

type Inner struct {
	S string
	N *int32
}

// All has a field of every supported type.
type All struct {
	S    string
	PS   *string
	E    Enum
	B    bool
	PB   *bool
	I    int
	PI   *int
	I32  int32
	PI32 *int32
	I64  int64
	PI64 *int64
	F    float64
	PF   *float64
	T    time.Time
	PT   *time.Time
	Blob []byte
	L    []string
	LL   [][]int32
	LS   []Inner
	LP   []*Inner
	M    map[string]string
	MS   map[string]Inner
	ML   map[string][]string
	St   Inner
	PSt  *Inner

	unexported string
	Fn         func()
	Ch         chan int
}

func ptr[T any](v T) *T { return &v }

func TestDecodeValues(t *testing.T) {
	ts := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		body string
		want All
	}{
		{"empty body", "", All{}},
		{"blank body", " \r\n\t", All{}},
		{"empty object", "{}", All{}},
		{"strings", `{"S":"a","PS":"","E":"Blue"}`, All{S: "a", PS: ptr(""), E: "Blue"}},
		{"escapes", `{"S":"q\"b\\s\/\b\f\n\r\t\u00e9\u2028\ud83d\ude00"}`, All{S: "q\"b\\s/\b\f\n\r\té\u2028😀"}},
		{"lone surrogates", `{"S":"\ud800x\udc00\ud800\u0041"}`, All{S: "\uFFFDx\uFFFD\uFFFDA"}},
		{"raw invalid UTF-8", "{\"S\":\"a\xffb\",\"PS\":\"\xc3\\n\"}", All{S: "a\uFFFDb", PS: ptr("\uFFFD\n")}},
		{"raw UTF-8", `{"S":"日本 😀"}`, All{S: "日本 😀"}},
		{"bools", `{"B":true,"PB":false}`, All{B: true, PB: ptr(false)}},
		{"ints", `{"I":-7,"PI":0,"I32":2147483647,"PI32":-2147483648,"I64":9223372036854775807,"PI64":-9223372036854775808}`,
			All{I: -7, PI: ptr(0), I32: math.MaxInt32, PI32: ptr(int32(math.MinInt32)), I64: math.MaxInt64, PI64: ptr(int64(math.MinInt64))}},
		{"fractions truncate", `{"I":1.9,"PI":-1.9,"I32":1e2,"I64":2.5E1}`, All{I: 1, PI: ptr(-1), I32: 100, I64: 25}},
		{"floats", `{"F":-1.5e300,"PF":0.1}`, All{F: -1.5e300, PF: ptr(0.1)}},
		{"epoch seconds", `{"T":1717113600}`, All{T: ts}},
		{"epoch fraction", `{"T":1717113600.123456789}`, All{T: ts.Add(123456789)}},
		{"epoch exponent", `{"T":1.7171136001e9}`, All{T: ts.Add(100 * time.Millisecond)}},
		{"epoch negative", `{"T":-1.5}`, All{T: time.Unix(-2, 500000000).UTC()}},
		{"epoch zero is a set pointer", `{"PT":0}`, All{PT: ptr(time.Unix(0, 0).UTC())}},
		{"ISO 8601", `{"T":"2024-05-31T00:00:00Z","PT":"2024-05-31T02:00:00.5+02:00"}`, All{T: ts, PT: ptr(ts.Add(500 * time.Millisecond))}},
		{"ISO 8601 date", `{"T":"2024-05-31"}`, All{T: ts}},
		{"epoch as string", `{"T":"1717113600"}`, All{T: ts}},
		{"blob", `{"Blob":"AAEC/w=="}`, All{Blob: []byte{0, 1, 2, 0xff}}},
		{"empty blob", `{"Blob":""}`, All{Blob: []byte{}}},
		{"list", `{"L":["a","b"]}`, All{L: []string{"a", "b"}}},
		{"empty list", `{"L":[]}`, All{L: []string{}}},
		{"nulls in lists dropped", `{"L":[null,"a",null,"b",null],"LP":[{"S":"x"},null]}`, All{L: []string{"a", "b"}, LP: []*Inner{{S: "x"}}}},
		{"list of lists", `{"LL":[[1,2],[],[3]]}`, All{LL: [][]int32{{1, 2}, {}, {3}}}},
		{"list of structures", `{"LS":[{"S":"a","N":1},{}]}`, All{LS: []Inner{{"a", ptr(int32(1))}, {}}}},
		{"map", `{"M":{"b":"2","a":"1","":"e"}}`, All{M: map[string]string{"a": "1", "b": "2", "": "e"}}},
		{"empty map", `{"M":{}}`, All{M: map[string]string{}}},
		{"nulls in maps dropped", `{"M":{"a":null,"b":"x"}}`, All{M: map[string]string{"b": "x"}}},
		{"map of structures and lists", `{"MS":{"k":{"S":"v"}},"ML":{"l":["x"]}}`, All{MS: map[string]Inner{"k": {S: "v"}}, ML: map[string][]string{"l": {"x"}}}},
		{"escaped map key", `{"M":{"a\"b\u0041":"v"}}`, All{M: map[string]string{"a\"bA": "v"}}},
		{"structure", `{"St":{"S":"x","N":4},"PSt":{}}`, All{St: Inner{"x", ptr(int32(4))}, PSt: &Inner{}}},
		{"null members are absent", `{"S":null,"PS":null,"B":null,"PB":null,"I":null,"T":null,"Blob":null,"L":null,"M":null,"St":null,"PSt":null}`, All{}},
		{"unknown members skipped", `{"X":{"y":[1,-2.5e3,{"z":null,"w":[true,false]}],"q":"\u0041\""},"S":"a","Y":[],"Z":{}}`, All{S: "a"}},
		{"unexported and func fields are not members", `{"unexported":"x","Fn":1,"Ch":2}`, All{}},
		{"case-insensitive names", `{"s":"a","pb":true,"i32":3,"st":{"s":"x"},"l":["q"]}`, All{S: "a", PB: ptr(true), I32: 3, St: Inner{S: "x"}, L: []string{"q"}}},
		{"escaped member names", `{"\u0053":"a"}`, All{S: "a"}},
		{"duplicate members: last wins", `{"S":"a","S":"b","L":["x"],"L":["y"]}`, All{S: "b", L: []string{"y"}}},
		{"whitespace everywhere", " { \"L\" : [ \"a\" , \"b\" ] , \"B\" :\ttrue\n}\r\n", All{L: []string{"a", "b"}, B: true}},
	}
	var c awsjson.Codec
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got All
			if err := c.Decode([]byte(tc.body), &got, awsjson.Naming{}); err != nil {
				t.Fatalf("Decode(%s): %v", tc.body, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decode(%s)\n got %#v\nwant %#v", tc.body, got, tc.want)
			}
		})
	}
}

func TestDecodeSpecialFloats(t *testing.T) {
	var c awsjson.Codec
	var got All
	if err := c.Decode([]byte(`{"F":"NaN","PF":"-Infinity"}`), &got, awsjson.Naming{}); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.F) || got.PF == nil || !math.IsInf(*got.PF, -1) {
		t.Errorf("F, PF = %v, %v", got.F, got.PF)
	}
}

func TestDecodeErrors(t *testing.T) {
	const (
		list   = "Start of list found where not expected"
		object = "Start of structure or map found where not expected."
	)
	cases := []struct {
		name, body, msg string
	}{
		// Not JSON, or not an object: no message, as on AWS.
		{"open brace", `{`, ""},
		{"missing value", `{"S":}`, ""},
		{"trailing comma", `{"S":"a",}`, ""},
		{"trailing comma in list", `{"L":["a",]}`, ""},
		{"trailing garbage", `{"S":"a"} x`, ""},
		{"two objects", `{}{}`, ""},
		{"unquoted name", `{S:"a"}`, ""},
		{"single quotes", `{'S':'a'}`, ""},
		{"missing colon", `{"S" "a"}`, ""},
		{"missing comma", `{"S":"a" "B":true}`, ""},
		{"unterminated string", `{"S":"abc`, ""},
		{"raw control character", "{\"S\":\"a\x01\"}", ""},
		{"bad escape", `{"S":"a\q"}`, ""},
		{"short unicode escape", `{"S":"\u12"}`, ""},
		{"leading zero", `{"I":01}`, ""},
		{"lone minus", `{"I":-}`, ""},
		{"bare fraction point", `{"I":1.}`, ""},
		{"bare exponent", `{"F":1e}`, ""},
		{"plus sign", `{"I":+1}`, ""},
		{"bad literal", `{"B":tru}`, ""},
		{"bad literal in skipped member", `{"X":nul}`, ""},
		{"bad skipped string", `{"X":"\x"}`, ""},
		{"NaN literal", `{"F":NaN}`, ""},
		{"string body", `"x"`, ""},
		{"number body", `1`, ""},
		{"null body", `null`, ""},
		{"list body", `[]`, list},
		{"list body with members", `[{"S":"a"}]`, list},

		// Type mismatches.
		{"string to int", `{"I32":"1"}`, "STRING_VALUE can not be converted to an Integer"},
		{"true to int", `{"I32":true}`, "TRUE_VALUE can not be converted to an Integer"},
		{"false to int", `{"I":false}`, "FALSE_VALUE can not be converted to an Integer"},
		{"list to int", `{"I32":[1]}`, list},
		{"object to int", `{"I32":{"a":1}}`, object},
		{"string to long", `{"I64":"1"}`, "STRING_VALUE can not be converted to a Long"},
		{"int overflow", `{"I32":2147483648}`, "NUMBER_VALUE can not be converted to an Integer"},
		{"int underflow", `{"I32":-2147483649}`, "NUMBER_VALUE can not be converted to an Integer"},
		{"long overflow", `{"I64":9223372036854775808}`, "NUMBER_VALUE can not be converted to a Long"},
		{"huge int", `{"I":1e40}`, "NUMBER_VALUE can not be converted to an Integer"},
		{"number to string", `{"S":1}`, "NUMBER_VALUE can not be converted to a String"},
		{"fraction to string", `{"S":1.5}`, "NUMBER_VALUE can not be converted to a String"},
		{"true to string", `{"S":true}`, "TRUE_VALUE can not be converted to a String"},
		{"false to string", `{"PS":false}`, "FALSE_VALUE can not be converted to a String"},
		{"list to string", `{"S":["x"]}`, list},
		{"object to string", `{"S":{"a":1}}`, object},
		{"number in string list", `{"L":[1]}`, "NUMBER_VALUE can not be converted to a String"},
		{"string to bool", `{"B":"true"}`, "STRING_VALUE can not be converted to an Boolean"},
		{"number to bool", `{"PB":1}`, "NUMBER_VALUE can not be converted to an Boolean"},
		{"string to double", `{"F":"1.5"}`, "STRING_VALUE can not be converted to a Double"},
		{"bool to double", `{"F":true}`, "TRUE_VALUE can not be converted to a Double"},
		{"bad timestamp string", `{"T":"yesterday"}`, "STRING_VALUE can not be converted to a Timestamp"},
		{"bool to timestamp", `{"T":true}`, "TRUE_VALUE can not be converted to a Timestamp"},
		{"timestamp out of range", `{"T":1e300}`, "NUMBER_VALUE can not be converted to a Timestamp"},
		{"timestamp past 9999", `{"PT":253402300800}`, "NUMBER_VALUE can not be converted to a Timestamp"},
		{"number to blob", `{"Blob":1}`, "NUMBER_VALUE can not be converted to a Blob"},
		{"bad base64", `{"Blob":"***"}`, "'***' can not be converted to a Blob: invalid Base64"},
		{"unpadded base64", `{"Blob":"AAE"}`, "'AAE' can not be converted to a Blob: invalid Base64"},
		{"long bad base64 clipped", `{"Blob":"` + strings.Repeat("*", 100) + `"}`, "'" + strings.Repeat("*", 64) + "...' can not be converted to a Blob: invalid Base64"},
		{"string to list", `{"L":"x"}`, "Expected list or null"},
		{"number to list", `{"L":1}`, "Expected list or null"},
		{"bool to list", `{"LS":true}`, "Expected list or null"},
		{"object to list", `{"L":{}}`, object},
		{"list in string list", `{"L":[["a"]]}`, list},
		{"string in int list", `{"LL":[["a"]]}`, "STRING_VALUE can not be converted to an Integer"},
		{"string to structure", `{"St":"x"}`, "Expected null"},
		{"number to structure", `{"PSt":1}`, "Expected null"},
		{"list to structure", `{"St":[]}`, list},
		{"string to map", `{"M":"x"}`, "Expected map or null"},
		{"list to map", `{"M":[]}`, list},
		{"number map value", `{"M":{"a":1}}`, "NUMBER_VALUE can not be converted to a String"},
		{"nested mismatch", `{"MS":{"k":{"N":"1"}}}`, "STRING_VALUE can not be converted to an Integer"},
	}
	var c awsjson.Codec
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got All
			err := c.Decode([]byte(tc.body), &got, awsjson.Naming{})
			ce := cairn.AsError(err)
			if ce == nil {
				t.Fatalf("Decode(%s) = %v, want a *cairn.Error", tc.body, err)
			}
			if ce.Code != "SerializationException" || ce.Status != 400 || ce.Message != tc.msg {
				t.Errorf("Decode(%s) = %q %d %q, want SerializationException 400 %q", tc.body, ce.Code, ce.Status, ce.Message, tc.msg)
			}
		})
	}
}

func TestDecodeDepthLimit(t *testing.T) {
	type Tree struct {
		Name string
		Kids []Tree
	}
	nest := func(levels int) []byte {
		return []byte(strings.Repeat(`{"Kids":[`, levels) + `{"Name":"leaf"}` + strings.Repeat(`]}`, levels))
	}
	var c awsjson.Codec
	var ok Tree
	if err := c.Decode(nest(31), &ok, awsjson.Naming{}); err != nil {
		t.Fatalf("31 levels: %v", err)
	}
	leaf := ok
	for i := 0; i < 31; i++ {
		leaf = leaf.Kids[0]
	}
	if leaf.Name != "leaf" {
		t.Errorf("leaf = %+v", leaf)
	}
	const msg = "Nesting depth exceeds the maximum of 64"
	for name, body := range map[string][]byte{
		"typed":          nest(40),
		"unknown member": []byte(`{"X":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`),
		"unknown object": []byte(`{"X":` + strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000) + `}`),
		"unterminated":   []byte(`{"X":` + strings.Repeat("[", 1<<20)),
	} {
		var bad Tree
		err := c.Decode(body, &bad, awsjson.Naming{})
		if ce := cairn.AsError(err); ce == nil || ce.Code != "SerializationException" || ce.Message != msg {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Objects and arrays each count as a level.
	small := awsjson.Codec{MaxDepth: 4}
	if err := small.Decode([]byte(`{"Kids":[{"Kids":[]}]}`), &ok, awsjson.Naming{}); err != nil {
		t.Errorf("MaxDepth 4, depth 4: %v", err)
	}
	if err := small.Decode([]byte(`{"Kids":[{"Kids":[{}]}]}`), &ok, awsjson.Naming{}); cairn.AsError(err) == nil {
		t.Errorf("MaxDepth 4, depth 5: %v", err)
	}
}

func TestDecodeListLimit(t *testing.T) {
	c := awsjson.Codec{MaxListLen: 3}
	var got All
	if err := c.Decode([]byte(`{"L":["a","b","c",null],"M":{"a":"1","b":"2","c":"3","d":null}}`), &got, awsjson.Naming{}); err != nil || len(got.L) != 3 || len(got.M) != 3 {
		t.Fatalf("3 members: %v %v %v", got.L, got.M, err)
	}
	for _, body := range []string{`{"L":["a","b","c","d"]}`, `{"M":{"a":"1","b":"2","c":"3","d":"4"}}`} {
		err := c.Decode([]byte(body), &got, awsjson.Naming{})
		if ce := cairn.AsError(err); ce == nil || ce.Message != "Collection exceeds the maximum of 3 members" {
			t.Errorf("%s: %v", body, err)
		}
	}
	var def awsjson.Codec
	big := []byte(`{"LS":[` + strings.Repeat(`{},`, awsjson.DefaultMaxListLen) + `{}]}`)
	if err := def.Decode(big, &got, awsjson.Naming{}); cairn.AsError(err) == nil {
		t.Errorf("%d members accepted", awsjson.DefaultMaxListLen+1)
	}
}

func TestDecodeNaming(t *testing.T) {
	type Policy struct{ Arn string }
	type In struct {
		TrailNameList []string
		Policies      []Policy
		Other         string
	}
	var c awsjson.Codec
	n := awsjson.Naming{Rename: map[string]string{"TrailNameList": "trailNameList", "Policy.Arn": "arn"}}
	var got In
	if err := c.Decode([]byte(`{"trailNameList":["a"],"Policies":[{"arn":"p"}],"Other":"o"}`), &got, n); err != nil {
		t.Fatal(err)
	}
	want := In{TrailNameList: []string{"a"}, Policies: []Policy{{"p"}}, Other: "o"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	var lc In
	if err := c.Decode([]byte(`{"trailNameList":["a"],"policies":[{"arn":"p"}],"other":"o"}`), &lc, awsjson.Naming{LowerCamel: true}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lc, want) {
		t.Errorf("lowerCamel: got %+v, want %+v", lc, want)
	}
}

func TestDecodeProgrammingErrors(t *testing.T) {
	var c awsjson.Codec
	type BadMap struct{ M map[int]string }
	type BadIface struct{ X any }
	type BadUint struct{ U uint }
	type Embedded struct{ Inner }
	type BadArray struct{ A [2]string }
	type Dup struct{ A, B string }
	type Empty struct{ A string }
	var n int
	cases := []struct {
		name string
		dst  any
		n    awsjson.Naming
	}{
		{"nil", nil, awsjson.Naming{}},
		{"not a pointer", All{}, awsjson.Naming{}},
		{"nil pointer", (*All)(nil), awsjson.Naming{}},
		{"pointer to int", &n, awsjson.Naming{}},
		{"map key", &BadMap{}, awsjson.Naming{}},
		{"interface", &BadIface{}, awsjson.Naming{}},
		{"uint", &BadUint{}, awsjson.Naming{}},
		{"embedded struct", &Embedded{}, awsjson.Naming{}},
		{"array", &BadArray{}, awsjson.Naming{}},
		{"duplicate wire names", &Dup{}, awsjson.Naming{Rename: map[string]string{"B": "A"}}},
		{"empty wire name", &Empty{}, awsjson.Naming{Rename: map[string]string{"A": ""}}},
	}
	for _, tc := range cases {
		err := c.Decode([]byte(`{}`), tc.dst, tc.n)
		if err == nil || cairn.AsError(err) != nil {
			t.Errorf("%s: Decode = %v, want a plain error", tc.name, err)
		}
	}
}

// A plan is cached per type and Naming: the same type decodes differently
// under two namings used alternately.
func TestPlanCachePerNaming(t *testing.T) {
	type In struct{ LogGroupName string }
	var c awsjson.Codec
	body := []byte(`{"logGroupName":"lower","LogGroupName":"upper"}`)
	a := awsjson.Naming{LowerCamel: true}
	b := awsjson.Naming{Rename: map[string]string{"LogGroupName": "LogGroupName"}}
	for i := 0; i < 3; i++ {
		var x, y, z In
		if err := c.Decode(body, &x, a); err != nil || x.LogGroupName != "lower" {
			t.Errorf("lowerCamel: %+v %v", x, err)
		}
		if err := c.Decode(body, &y, b); err != nil || y.LogGroupName != "upper" {
			t.Errorf("rename: %+v %v", y, err)
		}
		if err := c.Decode(body, &z, awsjson.Naming{}); err != nil || z.LogGroupName != "upper" {
			t.Errorf("zero: %+v %v", z, err)
		}
	}
}
