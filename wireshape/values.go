package wireshape

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Unset reports whether v, a struct member of p's type, holds an unset
// value, which AWS leaves out of responses: nil pointers, slices and maps,
// empty strings and the zero time. Booleans and numbers are always set;
// empty but non-nil slices and maps are set.
func (p *Plan[E]) Unset(v reflect.Value) bool {
	switch p.Kind {
	case Pointer, Slice, Map, Bytes:
		return v.IsNil()
	case String:
		return v.Len() == 0
	case Time:
		return TimeOf(v).IsZero()
	}
	return false
}

// TimeOf reads the time.Time held by v, without allocating when v is
// addressable.
func TimeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}

// Addressable returns v itself when it is addressable, else a copy that is.
func Addressable(v reflect.Value) reflect.Value {
	if v.CanAddr() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

// AppendFloat formats f the way encoding/json and the AWS SDKs do
// (ECMAScript number formatting); NaN and infinities become the strings
// AWS protocols use for them (NaN, Infinity, -Infinity), without quotes.
func AppendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// ParseSpecialFloat accepts the string forms of NaN and the infinities
// (case-insensitively); ok is false for any other string.
func ParseSpecialFloat(s string) (f float64, ok bool) {
	switch {
	case strings.EqualFold(s, "NaN"):
		return math.NaN(), true
	case strings.EqualFold(s, "Infinity"):
		return math.Inf(1), true
	case strings.EqualFold(s, "-Infinity"):
		return math.Inf(-1), true
	}
	return 0, false
}

// maxEpochSeconds is 9999-12-31T23:59:59Z, the last instant ISO 8601
// (and time.Time's RFC 3339 formatting) can express.
const maxEpochSeconds = 253402300799

var errTimeRange = errors.New("timestamp out of range")

// ParseEpoch parses epoch seconds given as a JSON number or a decimal
// string: an integer, a decimal fraction (kept to the nanosecond) or
// exponent notation (kept to the millisecond, as the SDKs send it). The
// result is in UTC.
func ParseEpoch(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, strconv.ErrSyntax
	}
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, err
		}
		if math.IsNaN(f) || math.Abs(f) > maxEpochSeconds {
			return time.Time{}, errTimeRange
		}
		return time.UnixMilli(int64(math.Round(f * 1000))).UTC(), nil
	}
	neg := false
	i := 0
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		i++
	}
	var sec int64
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		sec = sec*10 + int64(s[i]-'0')
		digits++
		if sec > maxEpochSeconds {
			return time.Time{}, errTimeRange
		}
	}
	var nsec int64
	if i < len(s) && s[i] == '.' {
		i++
		scale := int64(100000000)
		fd := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			nsec += int64(s[i]-'0') * scale
			scale /= 10
			fd++
		}
		if fd == 0 {
			return time.Time{}, strconv.ErrSyntax
		}
	}
	if digits == 0 || i != len(s) {
		return time.Time{}, strconv.ErrSyntax
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// ParseTimestamp parses the ISO 8601 forms AWS clients send (RFC 3339
// with or without fractional seconds and zone, or a bare date), or epoch
// seconds as a decimal string (see ParseEpoch). The result is in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, strconv.ErrSyntax
	}
	if c := s[0]; c == '-' || c == '+' || (c >= '0' && c <= '9' && !strings.ContainsAny(s, "-:T")) {
		return ParseEpoch(s)
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 0 || t.Year() > 9999 {
				return time.Time{}, errTimeRange
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, strconv.ErrSyntax
}

// Layouts tried by ParseTimestamp; fractional seconds are accepted after
// the seconds field by time.Parse even though the layouts do not show them.
var timeLayouts = []string{
	time.RFC3339,          // 2006-01-02T15:04:05Z, …+07:00
	"2006-01-02T15:04:05", // no zone: UTC
	"2006-01-02T15:04:05Z0700",
	"2006-01-02",
}
