package awsquery

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/wireshape"
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooledBuf keeps buffers of unusually large responses out of the pool.
const maxPooledBuf = 64 << 10

// xmlTime is the timestamp format of Query responses: ISO 8601 in UTC,
// whole seconds, as IAM writes CreateDate.
const xmlTime = "2006-01-02T15:04:05Z"

// EncodeResponse writes the XML response of action to w:
//
//	<{action}Response xmlns="{xmlns}">
//	  <{action}Result>…members of out…</{action}Result>
//	  <ResponseMetadata><RequestId>{requestID}</RequestId></ResponseMetadata>
//	</{action}Response>
//
// The Result element is left out when out is nil or a struct without
// fields (IAM's DeleteUser). Members are named by n; unset members are
// omitted (nil pointers, slices and maps, empty strings, the zero time);
// empty but non-nil lists and maps are written as empty elements (<Users/>);
// non-pointer bools and numbers are always written. Lists are
// <Name><member>…</member></Name>, maps <Name><entry><key>k</key>
// <value>v</value></entry></Name> with sorted keys, timestamps
// 2006-01-02T15:04:05Z, []byte base64. action and the wire names must be
// valid XML names; text and the namespace are escaped.
//
// The response is built in memory and written with a single Write.
func (c *Codec) EncodeResponse(w io.Writer, action, xmlns, requestID string, out any, n Naming) error {
	rv, ok, err := structValue(out)
	if err != nil {
		return err
	}
	var sp *structPlan
	if ok {
		ti, err := c.plans.Plan(rv.Type(), n)
		if err != nil {
			return fmt.Errorf("awsquery: %w", err)
		}
		sp = ti.Struct
	}
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	b = append(b, '<')
	b = append(b, action...)
	b = append(b, `Response xmlns="`...)
	b = appendEscaped(b, xmlns, true)
	b = append(b, `">`...)
	if sp != nil && len(sp.Fields) > 0 {
		b = append(b, '<')
		b = append(b, action...)
		b = append(b, "Result>"...)
		if b, err = encodeMembers(b, rv, sp, 0); err != nil {
			return err
		}
		b = append(b, "</"...)
		b = append(b, action...)
		b = append(b, "Result>"...)
	}
	b = append(b, "<ResponseMetadata><RequestId>"...)
	b = appendEscaped(b, requestID, false)
	b = append(b, "</RequestId></ResponseMetadata></"...)
	b = append(b, action...)
	b = append(b, "Response>"...)
	_, err = w.Write(b)
	if cap(b) <= maxPooledBuf {
		*bp = b
		bufPool.Put(bp)
	}
	return err
}

func encodeMembers(b []byte, v reflect.Value, sp *structPlan, depth int) ([]byte, error) {
	if depth > DefaultMaxDepth {
		return b, fmt.Errorf("awsquery: output nests deeper than %d levels", DefaultMaxDepth)
	}
	var err error
	for i := range sp.Fields {
		f := &sp.Fields[i]
		fv := v.Field(f.Index)
		if f.Plan.Unset(fv) {
			continue
		}
		ti := f.Plan
		for ti.Kind == wireshape.Pointer {
			if fv.IsNil() {
				break
			}
			fv, ti = fv.Elem(), ti.Elem
		}
		if ti.Kind == wireshape.Pointer {
			continue // pointer to a nil pointer
		}
		if (ti.Kind == wireshape.Slice || ti.Kind == wireshape.Map) && fv.Len() == 0 {
			b = append(b, f.Ext.empty...)
			continue
		}
		b = append(b, f.Ext.open...)
		if b, err = encodeContent(b, fv, ti, depth+1); err != nil {
			return b, err
		}
		b = append(b, f.Ext.close...)
	}
	return b, nil
}

// encodeContent writes what goes between the tags of an element holding v.
func encodeContent(b []byte, v reflect.Value, ti *plan, depth int) ([]byte, error) {
	var err error
	switch ti.Kind {
	case wireshape.String:
		b = appendEscaped(b, v.String(), false)
	case wireshape.Bool:
		b = strconv.AppendBool(b, v.Bool())
	case wireshape.Int:
		b = strconv.AppendInt(b, v.Int(), 10)
	case wireshape.Float64:
		b = wireshape.AppendFloat(b, v.Float())
	case wireshape.Time:
		// Zero times are omitted as members; one reached here is set
		// (behind a pointer, in a list or map) and is written as is.
		b = wireshape.TimeOf(v).UTC().AppendFormat(b, xmlTime)
	case wireshape.Bytes:
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
	case wireshape.Pointer:
		if !v.IsNil() {
			return encodeContent(b, v.Elem(), ti.Elem, depth)
		}
	case wireshape.Struct:
		return encodeMembers(b, v, ti.Struct, depth)
	case wireshape.Slice:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			if ti.Elem.Kind == wireshape.Pointer && e.IsNil() {
				continue
			}
			b = append(b, "<member>"...)
			if b, err = encodeContent(b, e, ti.Elem, depth+1); err != nil {
				return b, err
			}
			b = append(b, "</member>"...)
		}
	case wireshape.Map:
		type kv struct {
			k string
			v reflect.Value
		}
		entries := make([]kv, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			entries = append(entries, kv{it.Key().String(), it.Value()})
		}
		slices.SortFunc(entries, func(a, b kv) int { return cmp.Compare(a.k, b.k) })
		for _, e := range entries {
			if ti.Elem.Kind == wireshape.Pointer && e.v.IsNil() {
				continue
			}
			b = append(b, "<entry><key>"...)
			b = appendEscaped(b, e.k, false)
			b = append(b, "</key><value>"...)
			if b, err = encodeContent(b, e.v, ti.Elem, depth+1); err != nil {
				return b, err
			}
			b = append(b, "</value></entry>"...)
		}
	}
	return b, nil
}

// textSafe and attrSafe mark the ASCII bytes written unchanged in
// character data and in double-quoted attribute values.
var textSafe, attrSafe = func() (text, attr [utf8.RuneSelf]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		plain := c >= 0x20 && c != '&' && c != '<' && c != '>'
		text[c] = plain || c == '\n' || c == '\t'
		attr[c] = plain && c != '"'
	}
	return
}()

// appendEscaped appends s escaped as XML character data (or, with attr, as
// a double-quoted attribute value). Characters XML 1.0 cannot carry, and
// invalid UTF-8, become U+FFFD; carriage returns are written as &#xD; so
// parsers do not normalize them away.
func appendEscaped(b []byte, s string, attr bool) []byte {
	safe := &textSafe
	if attr {
		safe = &attrSafe
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			var esc string
			switch c {
			case '&':
				esc = "&amp;"
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '"':
				esc = "&quot;"
			case '\r':
				esc = "&#xD;"
			case '\n':
				esc = "&#xA;"
			case '\t':
				esc = "&#x9;"
			default: // other control characters
				esc = "\uFFFD"
			}
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// EncodeError writes the Query error envelope to w:
//
//	<ErrorResponse xmlns="{xmlns}"><Error><Type>Sender|Receiver</Type>
//	<Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>
//
// Type is Sender for 4xx statuses (e.Sender()), else Receiver. The Message
// element is left out when e has none. A nil e is written as
// cairn.InternalFailure(). Write errors are ignored: the connection is gone.
func EncodeError(w io.Writer, xmlns string, e *cairn.Error, requestID string) {
	if e == nil {
		e = cairn.InternalFailure()
	}
	b := make([]byte, 0, 192+len(xmlns)+len(e.Code)+len(e.Message)+len(requestID))
	b = append(b, `<ErrorResponse xmlns="`...)
	b = appendEscaped(b, xmlns, true)
	b = append(b, `"><Error><Type>`...)
	if e.Sender() {
		b = append(b, "Sender"...)
	} else {
		b = append(b, "Receiver"...)
	}
	b = append(b, "</Type><Code>"...)
	b = appendEscaped(b, e.Code, false)
	b = append(b, "</Code>"...)
	if e.Message != "" {
		b = append(b, "<Message>"...)
		b = appendEscaped(b, e.Message, false)
		b = append(b, "</Message>"...)
	}
	b = append(b, "</Error><RequestId>"...)
	b = appendEscaped(b, requestID, false)
	b = append(b, "</RequestId></ErrorResponse>"...)
	_, _ = w.Write(b)
}
