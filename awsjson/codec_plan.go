package awsjson

// This file is kept byte-identical (apart from the package clause) in
// awsjson and awsquery; TestPlanFilesIdentical in awsquery enforces it.
// Both protocols bind the same untagged domain shapes, so they share the
// way a Go type becomes a plan: which fields exist, what they are called on
// the wire, and which kind of value each holds.

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Naming maps Go field names to wire member names. The zero Naming uses
// the Go field name unchanged, which is right for shapes whose Go fields are
// named exactly like the members of the botocore model.
//
// A Naming's Rename map is part of the plan cache key by identity: do not
// modify it after the first call that used it.
type Naming struct {
	// LowerCamel lower-cases the first letter of every name not found in
	// Rename: LogGroupName becomes logGroupName (CloudWatch Logs).
	LowerCamel bool
	// Rename maps either "TypeName.Field" (one shape) or "Field" (every
	// shape) to the wire name. "TypeName.Field" wins over "Field".
	Rename map[string]string
}

// Wire returns the wire name of field goName of the struct type named
// typeName (reflect.Type.Name(): no package qualifier).
func (n Naming) Wire(typeName, goName string) string {
	if n.Rename != nil {
		if w, ok := n.Rename[typeName+"."+goName]; ok {
			return w
		}
		if w, ok := n.Rename[goName]; ok {
			return w
		}
	}
	if n.LowerCamel && goName != "" {
		r, size := utf8.DecodeRuneInString(goName)
		if unicode.IsUpper(r) {
			return string(unicode.ToLower(r)) + goName[size:]
		}
	}
	return goName
}

// Limits applied when a Codec field is zero.
const (
	// DefaultMaxDepth caps the nesting of lists, maps and structures a
	// decoder follows (and an encoder produces).
	DefaultMaxDepth = 64
)

type kind uint8

const (
	kString kind = iota + 1
	kBool
	kInt // int, int32 or int64; bits says which
	kFloat64
	kTime
	kBytes
	kPtr
	kSlice
	kMap
	kStruct
)

// typeInfo is the cached description of one Go type.
type typeInfo struct {
	kind kind
	typ  reflect.Type
	bits int       // kInt: 32 or 64
	elem *typeInfo // kPtr, kSlice, kMap: the element (map value) type
	sp   *structPlan
}

// structPlan lists the wire members of a struct type.
type structPlan struct {
	name   string // Go type name, for "TypeName.Field" renames
	fields []fieldPlan
	exact  map[string]int // wire name -> index into fields
}

type fieldPlan struct {
	goName string
	wire   string
	index  int // index of the field in the Go struct
	pos    int // index of this plan in structPlan.fields
	ti     *typeInfo
	ext    fieldExt // protocol-specific precomputed bytes
}

// lookup finds the field named name, exactly or else case-insensitively;
// exact reports which. A decoder lets an exact match win over a
// case-insensitive one whatever their order (see exactSet).
func (sp *structPlan) lookup(name []byte) (f *fieldPlan, exact bool) {
	if i, ok := sp.exact[string(name)]; ok {
		return &sp.fields[i], true
	}
	for i := range sp.fields {
		if equalFold(sp.fields[i].wire, name) {
			return &sp.fields[i], false
		}
	}
	return nil, false
}

// lookupString is lookup for a name held in a string.
func (sp *structPlan) lookupString(name string) (f *fieldPlan, exact bool) {
	if i, ok := sp.exact[name]; ok {
		return &sp.fields[i], true
	}
	for i := range sp.fields {
		if strings.EqualFold(sp.fields[i].wire, name) {
			return &sp.fields[i], false
		}
	}
	return nil, false
}

// exactSet records which fields of one struct value were set by an exact
// name match, so that a later case-insensitive match does not overwrite
// them. It allocates only for structs of more than 64 fields.
type exactSet struct {
	small uint64
	big   map[int]bool
}

func (s *exactSet) add(i int) {
	if i < 64 {
		s.small |= 1 << i
		return
	}
	if s.big == nil {
		s.big = map[int]bool{}
	}
	s.big[i] = true
}

func (s *exactSet) has(i int) bool {
	if i < 64 {
		return s.small&(1<<i) != 0
	}
	return s.big[i]
}

// accept reports whether a member matched to field index i (exactly or
// not) should be decoded, and records exact matches.
func (s *exactSet) accept(i int, exact bool) bool {
	if exact {
		s.add(i)
		return true
	}
	return !s.has(i)
}

// equalFold reports whether s and b are equal under Unicode case folding,
// without allocating for ASCII input.
func equalFold(s string, b []byte) bool {
	if len(s) != len(b) {
		// Case folding can change the UTF-8 length only outside ASCII.
		if isASCII(s) && isASCIIBytes(b) {
			return false
		}
		return strings.EqualFold(s, string(b))
	}
	for i := 0; i < len(s); i++ {
		x, y := s[i], b[i]
		if x >= utf8.RuneSelf || y >= utf8.RuneSelf {
			return strings.EqualFold(s, string(b))
		}
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// planKey identifies a plan: the type and the naming that named it. The
// Rename map takes part by identity; the cache entry keeps the map alive,
// so its address cannot be reused by another map while the entry exists.
type planKey struct {
	t      reflect.Type
	lower  bool
	rename uintptr
}

type planEntry struct {
	ti     *typeInfo
	rename map[string]string // pins the map whose address is in the key
}

// maxCachedPlans bounds the plan cache. Plans are keyed by the identity
// of Naming.Rename, so a caller that built a new map for every call would
// otherwise grow the cache without end; past the bound, plans are built and
// used but not kept.
const maxCachedPlans = 10000

// planCache caches plans per type and naming. The zero value is ready.
type planCache struct {
	m  sync.Map // planKey -> *planEntry
	mu sync.Mutex
	n  int // entries in m; guarded by mu
}

var timeType = reflect.TypeFor[time.Time]()

// typeInfo returns the plan of t under n, building it on first use.
func (pc *planCache) typeInfo(t reflect.Type, n Naming) (*typeInfo, error) {
	key := planKey{t: t, lower: n.LowerCamel}
	if n.Rename != nil {
		key.rename = reflect.ValueOf(n.Rename).Pointer()
	}
	if e, ok := pc.m.Load(key); ok {
		return e.(*planEntry).ti, nil
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.m.Load(key); ok {
		return e.(*planEntry).ti, nil
	}
	b := planBuilder{n: n, seen: map[reflect.Type]*typeInfo{}}
	ti, err := b.build(t)
	if err != nil {
		return nil, err
	}
	if pc.n < maxCachedPlans {
		pc.m.Store(key, &planEntry{ti: ti, rename: n.Rename})
		pc.n++
	}
	return ti, nil
}

type planBuilder struct {
	n    Naming
	seen map[reflect.Type]*typeInfo // in progress or done; allows recursive types
}

func (b *planBuilder) build(t reflect.Type) (*typeInfo, error) {
	if ti, ok := b.seen[t]; ok {
		return ti, nil
	}
	ti := &typeInfo{typ: t}
	b.seen[t] = ti
	switch {
	case t == timeType:
		ti.kind = kTime
		return ti, nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		ti.kind = kBytes
		return ti, nil
	}
	var err error
	switch t.Kind() {
	case reflect.String:
		ti.kind = kString
	case reflect.Bool:
		ti.kind = kBool
	case reflect.Int, reflect.Int64:
		ti.kind, ti.bits = kInt, 64
	case reflect.Int32:
		ti.kind, ti.bits = kInt, 32
	case reflect.Float64:
		ti.kind = kFloat64
	case reflect.Pointer:
		ti.kind = kPtr
		ti.elem, err = b.build(t.Elem())
	case reflect.Slice:
		ti.kind = kSlice
		ti.elem, err = b.build(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("unsupported map key type %s in %s", t.Key(), t)
		}
		ti.kind = kMap
		ti.elem, err = b.build(t.Elem())
	case reflect.Struct:
		ti.kind = kStruct
		ti.sp, err = b.buildStruct(t)
	default:
		return nil, fmt.Errorf("unsupported type %s", t)
	}
	if err != nil {
		return nil, err
	}
	return ti, nil
}

func (b *planBuilder) buildStruct(t reflect.Type) (*structPlan, error) {
	sp := &structPlan{name: t.Name(), exact: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			// Domain shapes name every member; an embedded field would
			// silently become a member named after its type.
			return nil, fmt.Errorf("embedded field %s.%s is not supported", t.Name(), f.Name)
		}
		switch f.Type.Kind() {
		case reflect.Func, reflect.Chan:
			continue
		}
		fti, err := b.build(f.Type)
		if err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", t.Name(), f.Name, err)
		}
		wire := b.n.Wire(sp.name, f.Name)
		if wire == "" {
			return nil, fmt.Errorf("field %s.%s: empty wire name", t.Name(), f.Name)
		}
		if j, dup := sp.exact[wire]; dup {
			return nil, fmt.Errorf("fields %s.%s and %s.%s have the same wire name %q",
				t.Name(), sp.fields[j].goName, t.Name(), f.Name, wire)
		}
		sp.exact[wire] = len(sp.fields)
		sp.fields = append(sp.fields, fieldPlan{
			goName: f.Name,
			wire:   wire,
			index:  i,
			pos:    len(sp.fields),
			ti:     fti,
			ext:    newFieldExt(wire),
		})
	}
	return sp, nil
}

// omitMember reports whether a struct member holds an unset value, which
// AWS leaves out of responses: nil pointers, slices and maps, empty
// strings and the zero time. Booleans and numbers are always present;
// empty but non-nil slices and maps are present.
func omitMember(v reflect.Value, ti *typeInfo) bool {
	switch ti.kind {
	case kPtr, kSlice, kMap, kBytes:
		return v.IsNil()
	case kString:
		return v.Len() == 0
	case kTime:
		return timeOf(v).IsZero()
	}
	return false
}

// timeOf reads a time.Time without allocating when v is addressable.
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}

// addressable returns v itself when it is addressable, else a copy that is.
func addressable(v reflect.Value) reflect.Value {
	if v.CanAddr() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

// appendFloat formats f the way encoding/json and the AWS SDKs do
// (ECMAScript number formatting); NaN and infinities become the strings
// AWS protocols use for them, without quotes.
func appendFloat(b []byte, f float64) []byte {
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

// parseSpecialFloat accepts the string forms of NaN and the infinities.
func parseSpecialFloat(s string) (float64, bool) {
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

// parseEpoch parses epoch seconds given as a JSON number or a decimal
// string: an integer, a decimal fraction (kept to the nanosecond) or
// exponent notation (kept to the millisecond, as the SDKs send it).
func parseEpoch(s string) (time.Time, error) {
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

// parseTimestamp parses the ISO 8601 forms AWS clients send (RFC 3339
// with or without fractional seconds and zone, or a bare date), or epoch
// seconds as a decimal string. The result is in UTC.
func parseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, strconv.ErrSyntax
	}
	if c := s[0]; c == '-' || c == '+' || (c >= '0' && c <= '9' && !strings.ContainsAny(s, "-:T")) {
		return parseEpoch(s)
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

// Layouts tried by parseTimestamp; fractional seconds are accepted after
// the seconds field by time.Parse even though the layouts do not show them.
var timeLayouts = []string{
	time.RFC3339,          // 2006-01-02T15:04:05Z, …+07:00
	"2006-01-02T15:04:05", // no zone: UTC
	"2006-01-02T15:04:05Z0700",
	"2006-01-02",
}
