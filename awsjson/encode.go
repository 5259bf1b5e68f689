package awsjson

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/wireshape"
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledBuf keeps buffers of unusually large responses out of the pool.
const maxPooledBuf = 64 << 10

func errNotStruct(v any) error {
	return fmt.Errorf("awsjson: output must be a struct or a pointer to one, got %T", v)
}

// Encode renders out (a struct, a pointer to one, or nil) as a JSON 1.1
// response body. Members are named by n. Unset members are omitted: nil
// pointers, slices and maps, empty strings and the zero time.Time; empty
// but non-nil slices and maps are emitted ([] and {}); non-pointer bools
// and numbers are always emitted. Timestamps are epoch seconds (an integer,
// or a decimal with up to three fraction digits); []byte is base64. Map keys
// are sorted. A nil out, or a struct without fields, encodes as {}.
func (c *Codec) Encode(out any, n Naming) ([]byte, error) {
	rv, ok, err := structValue(out)
	if err != nil {
		return nil, err
	}
	if !ok {
		return []byte("{}"), nil
	}
	ti, err := c.plans.Plan(rv.Type(), n)
	if err != nil {
		return nil, fmt.Errorf("awsjson: %w", err)
	}
	bp := bufPool.Get().(*[]byte)
	b, err := encodeStruct((*bp)[:0], rv, ti.Struct, 0)
	if err != nil {
		return nil, err
	}
	res := make([]byte, len(b))
	copy(res, b)
	if cap(b) <= maxPooledBuf {
		*bp = b
		bufPool.Put(bp)
	}
	return res, nil
}

func encodeStruct(b []byte, v reflect.Value, sp *structPlan, depth int) ([]byte, error) {
	if depth > DefaultMaxDepth {
		return b, fmt.Errorf("awsjson: output nests deeper than %d levels", DefaultMaxDepth)
	}
	b = append(b, '{')
	first := true
	var err error
	for i := range sp.Fields {
		f := &sp.Fields[i]
		fv := v.Field(f.Index)
		if f.Plan.Unset(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.Ext.key...)
		if b, err = encodeValue(b, fv, f.Plan, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func encodeValue(b []byte, v reflect.Value, ti *plan, depth int) ([]byte, error) {
	var err error
	switch ti.Kind {
	case wireshape.String:
		b = appendString(b, v.String())
	case wireshape.Bool:
		b = strconv.AppendBool(b, v.Bool())
	case wireshape.Int:
		b = strconv.AppendInt(b, v.Int(), 10)
	case wireshape.Float64:
		// NaN and the infinities are strings in JSON: "NaN", "Infinity".
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			b = append(wireshape.AppendFloat(append(b, '"'), f), '"')
		} else {
			b = wireshape.AppendFloat(b, f)
		}
	case wireshape.Time:
		t := wireshape.TimeOf(v)
		if t.Nanosecond()/1e6 == 0 {
			b = strconv.AppendInt(b, t.Unix(), 10)
		} else {
			b = strconv.AppendFloat(b, float64(t.UnixMilli())/1000, 'f', -1, 64)
		}
	case wireshape.Bytes:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
		b = append(b, '"')
	case wireshape.Pointer:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return encodeValue(b, v.Elem(), ti.Elem, depth)
	case wireshape.Slice:
		b = append(b, '[')
		first := true
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			if ti.Elem.Kind == wireshape.Pointer && e.IsNil() {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			if b, err = encodeValue(b, e, ti.Elem, depth+1); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	case wireshape.Map:
		b = append(b, '{')
		type kv struct {
			k string
			v reflect.Value
		}
		entries := make([]kv, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			entries = append(entries, kv{it.Key().String(), it.Value()})
		}
		slices.SortFunc(entries, func(a, b kv) int { return cmp.Compare(a.k, b.k) })
		first := true
		for _, e := range entries {
			if ti.Elem.Kind == wireshape.Pointer && e.v.IsNil() {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendString(b, e.k)
			b = append(b, ':')
			if b, err = encodeValue(b, e.v, ti.Elem, depth+1); err != nil {
				return b, err
			}
		}
		b = append(b, '}')
	case wireshape.Struct:
		return encodeStruct(b, v, ti.Struct, depth)
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a quoted JSON string. Invalid UTF-8 becomes
// U+FFFD; control characters, U+2028 and U+2029 are escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// EncodeError renders e as a JSON 1.1 error body:
// {"__type":"<Code>","message":"<Message>"}. The message member is left out
// when e has none (AWS's SerializationException for an unreadable body). A
// nil e renders as cairn.InternalFailure(). The adapter sets the HTTP status
// from e.Status.
func EncodeError(e *cairn.Error) []byte {
	if e == nil {
		e = cairn.InternalFailure()
	}
	b := make([]byte, 0, 32+len(e.Code)+len(e.Message))
	b = append(b, `{"__type":`...)
	b = appendString(b, e.Code)
	if e.Message != "" {
		b = append(b, `,"message":`...)
		b = appendString(b, e.Message)
	}
	return append(b, '}')
}
