package wireshape_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/wireshape"
)

func TestNamingWire(t *testing.T) {
	n := wireshape.Naming{LowerCamel: true, Rename: map[string]string{"Arn": "ARN", "Trail.Arn": "TrailARN", "X": "x-y"}}
	for _, tc := range []struct{ typ, field, want string }{
		{"Trail", "Arn", "TrailARN"},
		{"Other", "Arn", "ARN"},
		{"Other", "X", "x-y"},
		{"Other", "LogGroupName", "logGroupName"},
		{"Other", "Élan", "élan"},
		{"Other", "already", "already"},
	} {
		if got := n.Wire(tc.typ, tc.field); got != tc.want {
			t.Errorf("Wire(%s, %s) = %q, want %q", tc.typ, tc.field, got, tc.want)
		}
	}
	if got := (wireshape.Naming{}).Wire("T", "LogGroupName"); got != "LogGroupName" {
		t.Errorf("zero Naming: %q", got)
	}
}

type noExt struct{}

func (noExt) ForMember(string) noExt { return noExt{} }

func TestUnset(t *testing.T) {
	type S struct {
		S  string
		B  bool
		I  int32
		F  float64
		T  time.Time
		Y  []byte
		P  *bool
		L  []string
		M  map[string]string
		St struct{ A string }
	}
	var c wireshape.Cache[noExt]
	p, err := c.Plan(reflect.TypeFor[S](), wireshape.Naming{})
	if err != nil {
		t.Fatal(err)
	}
	unset := func(v S) map[string]bool {
		rv := reflect.ValueOf(v) // not addressable: TimeOf's copying path
		got := map[string]bool{}
		for _, f := range p.Struct.Fields {
			if f.Plan.Unset(rv.Field(f.Index)) {
				got[f.GoName] = true
			}
		}
		return got
	}
	if got, want := unset(S{}), map[string]bool{"S": true, "T": true, "Y": true, "P": true, "L": true, "M": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("zero value: unset %v, want %v", got, want)
	}
	set := S{S: "x", T: time.Unix(0, 0), Y: []byte{}, P: new(bool), L: []string{}, M: map[string]string{}}
	if got := unset(set); len(got) != 0 {
		t.Errorf("set members reported unset: %v", got)
	}
}

func TestTimeOfAndAddressable(t *testing.T) {
	when := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	v := reflect.ValueOf(when)
	a := wireshape.Addressable(v)
	if !a.CanAddr() || wireshape.TimeOf(v) != when || wireshape.TimeOf(a) != when {
		t.Errorf("Addressable %v, TimeOf %v %v", a.CanAddr(), wireshape.TimeOf(v), wireshape.TimeOf(a))
	}
	if n := testing.AllocsPerRun(100, func() { wireshape.TimeOf(a) }); n != 0 {
		t.Errorf("TimeOf of an addressable value allocates %v times", n)
	}
	p := reflect.ValueOf(&when).Elem()
	if wireshape.Addressable(p).Addr().Pointer() != p.Addr().Pointer() {
		t.Error("Addressable copied an addressable value")
	}
}

func TestAppendFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0, "0"},
		{1.5, "1.5"},
		{-2, "-2"},
		{123456789, "123456789"},
		{1e20, "100000000000000000000"},
		{1e21, "1e+21"},
		{1e-6, "0.000001"},
		{1e-7, "1e-7"},
		{-1.5e-9, "-1.5e-9"},
		{1e-10, "1e-10"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	} {
		if got := string(wireshape.AppendFloat([]byte("x"), tc.f)); got != "x"+tc.want {
			t.Errorf("AppendFloat(%v) = %q, want %q", tc.f, got, "x"+tc.want)
		}
	}
}

func TestParseSpecialFloat(t *testing.T) {
	for s, want := range map[string]float64{"NaN": math.NaN(), "nan": math.NaN(), "Infinity": math.Inf(1), "infinity": math.Inf(1), "-Infinity": math.Inf(-1)} {
		f, ok := wireshape.ParseSpecialFloat(s)
		if !ok || !(f == want || math.IsNaN(f) && math.IsNaN(want)) {
			t.Errorf("ParseSpecialFloat(%q) = %v, %v", s, f, ok)
		}
	}
	for _, s := range []string{"", "1", "Inf", "+Infinity", "NaN "} {
		if f, ok := wireshape.ParseSpecialFloat(s); ok {
			t.Errorf("ParseSpecialFloat(%q) = %v, true", s, f)
		}
	}
}

func TestParseEpoch(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want time.Time
	}{
		{"1717113600", time.Unix(1717113600, 0)},
		{"+1717113600", time.Unix(1717113600, 0)},
		{"-1", time.Unix(-1, 0)},
		{"1717286400.123", time.Unix(1717286400, 123000000)},
		{"1.5", time.Unix(1, 500000000)},
		{"0.123456789123", time.Unix(0, 123456789)},
		{"-1.5", time.Unix(-2, 500000000)},
		{"1.7171136001234e9", time.UnixMilli(1717113600123)},
		{"1E3", time.Unix(1000, 0)},
		{"253402300799", time.Unix(253402300799, 0)},
	} {
		got, err := wireshape.ParseEpoch(tc.s)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseEpoch(%q) = %v, %v; want %v UTC", tc.s, got, err, tc.want.UTC())
		}
	}
	for _, s := range []string{"", "-", ".5", "5.", "1.2.3", "12a", "0x10", "1e", "NaN", "253402300800", "-253402300800", "1e12", "99999999999999999999"} {
		if got, err := wireshape.ParseEpoch(s); err == nil {
			t.Errorf("ParseEpoch(%q) = %v, want an error", s, got)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want time.Time
	}{
		{"2024-06-01T10:00:00Z", time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)},
		{"2024-06-01T10:00:00.25Z", time.Date(2024, 6, 1, 10, 0, 0, 250000000, time.UTC)},
		{"2024-06-01T12:00:00+02:00", time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)},
		{"2024-06-01T12:00:00+0200", time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)},
		{"2024-06-01T10:00:00", time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)},
		{"2024-06-01", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"1717236000", time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)},
		{"1717236000.5", time.Date(2024, 6, 1, 10, 0, 0, 500000000, time.UTC)},
	} {
		got, err := wireshape.ParseTimestamp(tc.s)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tc.s, got, err, tc.want)
		}
	}
	for _, s := range []string{"", "yesterday", "2024-13-01", "2024-06-01T25:00:00Z", "2024/06/01", "253402300800", "10000-01-01T00:00:00Z"} {
		if got, err := wireshape.ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want an error", s, got)
		}
	}
}
