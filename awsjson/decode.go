package awsjson

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/wireshape"
)

// Messages of the SerializationException AWS JSON services return when a
// request body does not fit the operation's input shape. The wording is
// AWS's (Coral's) own, as recorded in public issue threads and emulator
// test suites probed against AWS (see the package tests for sources).
const (
	msgStartOfList   = "Start of list found where not expected"
	msgStartOfStruct = "Start of structure or map found where not expected."
	msgExpectList    = "Expected list or null"
	msgExpectMap     = "Expected map or null"
	msgExpectStruct  = "Expected null"
)

// Target type names in "X_VALUE can not be converted to <target>".
const (
	targetString    = "a String"
	targetInteger   = "an Integer"
	targetLong      = "a Long"
	targetBoolean   = "an Boolean" // sic: AWS's wording
	targetDouble    = "a Double"
	targetTimestamp = "a Timestamp"
	targetBlob      = "a Blob"
)

// serializationError builds the error AWS returns for a body it cannot
// bind. An unreadable body (invalid JSON) has no message, as on AWS.
func serializationError(msg string) *cairn.Error {
	return &cairn.Error{Code: "SerializationException", Message: msg, Status: 400}
}

var errSyntax = serializationError("")

// Decode binds a JSON 1.1 request body to dst, a non-nil pointer to a
// struct. An empty body is the empty object. Members are matched to fields
// by wire name (see Naming), exactly and then case-insensitively; unknown
// members and null values are ignored, and nulls inside lists are dropped.
// Timestamps accept epoch seconds (integer or fractional numbers) and ISO
// 8601 strings; []byte fields accept base64 strings.
//
// A body that is not JSON, not an object, or does not fit dst's shape
// yields a *cairn.Error with code SerializationException and status 400.
// On error dst may be partly filled. Any other error is a programming error
// (dst of the wrong kind, an unsupported field type).
func (c *Codec) Decode(body []byte, dst any, n Naming) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsjson: Decode: dst must be a non-nil pointer to a struct, got %T", dst)
	}
	ti, err := c.plans.Plan(rv.Elem().Type(), n)
	if err != nil {
		return fmt.Errorf("awsjson: %w", err)
	}
	d := decoder{data: body, maxDepth: c.maxDepth(), maxList: c.maxListLen()}
	d.skipWS()
	if d.i == len(d.data) {
		return nil
	}
	switch d.data[d.i] {
	case '{':
	case '[':
		return serializationError(msgStartOfList)
	default:
		return errSyntax
	}
	if err := d.decodeStruct(rv.Elem(), ti.Struct); err != nil {
		return err
	}
	d.skipWS()
	if d.i != len(d.data) {
		return errSyntax
	}
	return nil
}

type decoder struct {
	data     []byte
	i        int
	depth    int
	maxDepth int
	maxList  int
	scratch  []byte
}

func (d *decoder) skipWS() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of input.
func (d *decoder) peek() byte {
	d.skipWS()
	if d.i < len(d.data) {
		return d.data[d.i]
	}
	return 0
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return serializationError(fmt.Sprintf("Nesting depth exceeds the maximum of %d", d.maxDepth))
	}
	return nil
}

// mismatch is the error for a JSON value starting with c where target was
// expected.
func mismatch(c byte, target string) error {
	switch {
	case c == '"':
		return serializationError("STRING_VALUE can not be converted to " + target)
	case c == 't':
		return serializationError("TRUE_VALUE can not be converted to " + target)
	case c == 'f':
		return serializationError("FALSE_VALUE can not be converted to " + target)
	case c == '-' || (c >= '0' && c <= '9'):
		return serializationError("NUMBER_VALUE can not be converted to " + target)
	case c == '[':
		return serializationError(msgStartOfList)
	case c == '{':
		return serializationError(msgStartOfStruct)
	}
	return errSyntax
}

// decodeValue decodes the next JSON value into v, which is addressable.
// A null leaves v untouched.
func (d *decoder) decodeValue(v reflect.Value, ti *plan) error {
	c := d.peek()
	if c == 'n' {
		return d.literal("null")
	}
	switch ti.Kind {
	case wireshape.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(ti.Elem.Type))
		}
		return d.decodeValue(v.Elem(), ti.Elem)
	case wireshape.String:
		if c != '"' {
			return mismatch(c, targetString)
		}
		s, err := d.readString()
		if err != nil {
			return err
		}
		v.SetString(s)
	case wireshape.Bool:
		switch c {
		case 't':
			if err := d.literal("true"); err != nil {
				return err
			}
			v.SetBool(true)
		case 'f':
			if err := d.literal("false"); err != nil {
				return err
			}
			v.SetBool(false)
		default:
			return mismatch(c, targetBoolean)
		}
	case wireshape.Int:
		target := targetInteger
		if ti.Bits == 64 && ti.Type.Kind() == reflect.Int64 {
			target = targetLong
		}
		if c != '-' && (c < '0' || c > '9') {
			return mismatch(c, target)
		}
		num, err := d.readNumber()
		if err != nil {
			return err
		}
		n, ok := parseIntNumber(num, ti.Bits)
		if !ok {
			return mismatch(c, target)
		}
		v.SetInt(n)
	case wireshape.Float64:
		switch {
		case c == '"':
			s, err := d.readString()
			if err != nil {
				return err
			}
			f, ok := wireshape.ParseSpecialFloat(s)
			if !ok {
				return mismatch(c, targetDouble)
			}
			v.SetFloat(f)
		case c == '-' || (c >= '0' && c <= '9'):
			num, err := d.readNumber()
			if err != nil {
				return err
			}
			f, err := strconv.ParseFloat(string(num), 64)
			if err != nil {
				return mismatch(c, targetDouble)
			}
			v.SetFloat(f)
		default:
			return mismatch(c, targetDouble)
		}
	case wireshape.Time:
		var t time.Time
		switch {
		case c == '"':
			s, err := d.readStringBytes()
			if err != nil {
				return err
			}
			if t, err = wireshape.ParseTimestamp(string(s)); err != nil {
				return mismatch(c, targetTimestamp)
			}
		case c == '-' || (c >= '0' && c <= '9'):
			num, err := d.readNumber()
			if err != nil {
				return err
			}
			if t, err = wireshape.ParseEpoch(string(num)); err != nil {
				return mismatch(c, targetTimestamp)
			}
		default:
			return mismatch(c, targetTimestamp)
		}
		*v.Addr().Interface().(*time.Time) = t
	case wireshape.Bytes:
		if c != '"' {
			return mismatch(c, targetBlob)
		}
		raw, err := d.readStringBytes()
		if err != nil {
			return err
		}
		buf := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
		m, err := base64.StdEncoding.Decode(buf, raw)
		if err != nil {
			return serializationError(fmt.Sprintf("'%s' can not be converted to a Blob: invalid Base64", clip(raw)))
		}
		v.SetBytes(buf[:m])
	case wireshape.Slice:
		switch c {
		case '[':
			return d.decodeList(v, ti)
		case '{':
			return serializationError(msgStartOfStruct)
		case '"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			return serializationError(msgExpectList)
		}
		return errSyntax
	case wireshape.Map:
		switch c {
		case '{':
			return d.decodeMap(v, ti)
		case '[':
			return serializationError(msgStartOfList)
		case '"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			return serializationError(msgExpectMap)
		}
		return errSyntax
	case wireshape.Struct:
		switch c {
		case '{':
			return d.decodeStruct(v, ti.Struct)
		case '[':
			return serializationError(msgStartOfList)
		case '"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			return serializationError(msgExpectStruct)
		}
		return errSyntax
	}
	return nil
}

// clip shortens an echoed value for an error message.
func clip(b []byte) string {
	const max = 64
	if len(b) > max {
		b = b[:max]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
		return string(b) + "..."
	}
	return string(b)
}

// parseIntNumber converts a JSON number to an integer of the given size.
// Fractions are truncated toward zero, as AWS does.
func parseIntNumber(num []byte, bits int) (int64, bool) {
	frac := false
	for _, c := range num {
		if c == '.' || c == 'e' || c == 'E' {
			frac = true
			break
		}
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if bits == 32 {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if frac {
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			return 0, false
		}
		f = math.Trunc(f)
		if f < float64(lo) || f >= -float64(lo) {
			return 0, false
		}
		n := int64(f)
		return n, n >= lo && n <= hi
	}
	neg := num[0] == '-'
	digits := num
	if neg {
		digits = num[1:]
	}
	var u uint64
	for _, c := range digits {
		if u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > uint64(-lo) {
			return 0, false
		}
		return -int64(u), true
	}
	if u > uint64(hi) {
		return 0, false
	}
	return int64(u), true
}

func (d *decoder) decodeStruct(v reflect.Value, sp *structPlan) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++ // '{'
	if d.peek() == '}' {
		d.i++
		d.depth--
		return nil
	}
	var seen wireshape.ExactSet
	for {
		if d.peek() != '"' {
			return errSyntax
		}
		key, err := d.readStringBytes()
		if err != nil {
			return err
		}
		if d.peek() != ':' {
			return errSyntax
		}
		d.i++
		if f, exact := sp.Lookup(key); f != nil && seen.Accept(f.Pos, exact) {
			if err := d.decodeValue(v.Field(f.Index), f.Plan); err != nil {
				return err
			}
		} else if err := d.skipValue(); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return errSyntax
		}
	}
}

func (d *decoder) tooMany() error {
	return serializationError(fmt.Sprintf("Collection exceeds the maximum of %d members", d.maxList))
}

func (d *decoder) decodeList(v reflect.Value, ti *plan) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++ // '['
	v.Set(reflect.MakeSlice(ti.Type, 0, 0))
	if d.peek() == ']' {
		d.i++
		d.depth--
		return nil
	}
	n := 0
	for {
		if d.peek() == 'n' {
			if err := d.literal("null"); err != nil {
				return err
			}
		} else {
			if n >= d.maxList {
				return d.tooMany()
			}
			if n == v.Cap() {
				v.Grow(1)
			}
			v.SetLen(n + 1)
			if err := d.decodeValue(v.Index(n), ti.Elem); err != nil {
				return err
			}
			n++
		}
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			return nil
		default:
			return errSyntax
		}
	}
}

func (d *decoder) decodeMap(v reflect.Value, ti *plan) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++ // '{'
	if v.IsNil() {
		v.Set(reflect.MakeMap(ti.Type))
	}
	if d.peek() == '}' {
		d.i++
		d.depth--
		return nil
	}
	key := reflect.New(ti.Type.Key()).Elem()
	n := 0
	for {
		if d.peek() != '"' {
			return errSyntax
		}
		k, err := d.readString()
		if err != nil {
			return err
		}
		if d.peek() != ':' {
			return errSyntax
		}
		d.i++
		if d.peek() == 'n' {
			if err := d.literal("null"); err != nil {
				return err
			}
		} else {
			if n >= d.maxList {
				return d.tooMany()
			}
			n++
			elem := reflect.New(ti.Elem.Type).Elem()
			if err := d.decodeValue(elem, ti.Elem); err != nil {
				return err
			}
			key.SetString(k)
			v.SetMapIndex(key, elem)
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return errSyntax
		}
	}
}

// skipValue consumes one JSON value of any kind, checking its syntax.
func (d *decoder) skipValue() error {
	switch c := d.peek(); c {
	case '{':
		if err := d.enter(); err != nil {
			return err
		}
		d.i++
		if d.peek() == '}' {
			d.i++
			d.depth--
			return nil
		}
		for {
			if d.peek() != '"' {
				return errSyntax
			}
			if err := d.skipString(); err != nil {
				return err
			}
			if d.peek() != ':' {
				return errSyntax
			}
			d.i++
			if err := d.skipValue(); err != nil {
				return err
			}
			switch d.peek() {
			case ',':
				d.i++
			case '}':
				d.i++
				d.depth--
				return nil
			default:
				return errSyntax
			}
		}
	case '[':
		if err := d.enter(); err != nil {
			return err
		}
		d.i++
		if d.peek() == ']' {
			d.i++
			d.depth--
			return nil
		}
		for {
			if err := d.skipValue(); err != nil {
				return err
			}
			switch d.peek() {
			case ',':
				d.i++
			case ']':
				d.i++
				d.depth--
				return nil
			default:
				return errSyntax
			}
		}
	case '"':
		return d.skipString()
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		_, err := d.readNumber()
		return err
	}
}

func (d *decoder) literal(lit string) error {
	if len(d.data)-d.i < len(lit) || string(d.data[d.i:d.i+len(lit)]) != lit {
		return errSyntax
	}
	d.i += len(lit)
	return nil
}

// readNumber consumes a JSON number and returns its text.
func (d *decoder) readNumber() ([]byte, error) {
	start := d.i
	data := d.data
	i := d.i
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	default:
		return nil, errSyntax
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return nil, errSyntax
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return nil, errSyntax
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	}
	d.i = i
	return data[start:i], nil
}

// skipString consumes a JSON string, checking its syntax.
func (d *decoder) skipString() error {
	_, err := d.readStringBytes()
	return err
}

// readString consumes a JSON string and returns its value. Invalid UTF-8
// is replaced by U+FFFD.
func (d *decoder) readString() (string, error) {
	b, err := d.readStringBytes()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// readStringBytes consumes a JSON string and returns its value as valid
// UTF-8. The result aliases the input or the decoder's scratch buffer and is
// valid until the next call.
func (d *decoder) readStringBytes() ([]byte, error) {
	data := d.data
	i := d.i + 1 // past '"'
	start := i
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.i = i + 1
			s := data[start:i]
			if !utf8.Valid(s) {
				return d.fixUTF8(s), nil
			}
			return s, nil
		case c == '\\':
			return d.readEscaped(start)
		case c < 0x20:
			return nil, errSyntax
		}
		i++
	}
	return nil, errSyntax
}

func (d *decoder) fixUTF8(s []byte) []byte {
	out := d.scratch[:0]
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, s[:size]...)
		}
		s = s[size:]
	}
	d.scratch = out
	return out
}

// readEscaped is the slow path of readStringBytes for strings holding
// escapes; start is the offset of the string's first byte.
func (d *decoder) readEscaped(start int) ([]byte, error) {
	data := d.data
	out := d.scratch[:0]
	i := start
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.i = i + 1
			d.scratch = out
			return out, nil
		case c < 0x20:
			return nil, errSyntax
		case c == '\\':
			if i+1 >= len(data) {
				return nil, errSyntax
			}
			e := data[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(data, i)
				if !ok {
					return nil, errSyntax
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+6 <= len(data) && data[i] == '\\' && data[i+1] == 'u' {
						r2, ok = hex4(data, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				return nil, errSyntax
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, data[i:i+size]...)
			}
			i += size
		}
	}
	return nil, errSyntax
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
