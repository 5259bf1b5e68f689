package awsquery

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/wireshape"
)

// Messages for a form whose structure does not fit the input shape; the
// wording is AWS's (Coral's), shared with the JSON protocols.
const (
	msgStartOfList   = "Start of list found where not expected"
	msgStartOfStruct = "Start of structure or map found where not expected."
	msgExpectList    = "Expected list or null"
	msgExpectMap     = "Expected map or null"
	msgExpectStruct  = "Expected null"
)

// Decode binds a Query request form to dst, a non-nil pointer to a struct.
// Parameters are dotted member paths named by n (exactly, or else
// case-insensitively):
//
//	UserName=bob                          scalar
//	Tags.member.1.Key=k&Tags.member.1.Value=v   list of structures (1-based, contiguous)
//	ActionNames=                          empty list
//	Attributes.entry.1.key=k&Attributes.entry.1.value=v   map; the key and
//	      value may also be called Name and Value (SNS MessageAttributes)
//	Endpoint.Address=a                    nested structure
//
// Booleans are true or false, integers decimal, timestamps ISO 8601 (or
// epoch seconds), []byte base64. Action, Version, X-Amz-* parameters and
// unknown members are ignored. An empty value for a non-string scalar is
// treated as absent.
//
// A form that does not fit dst's shape yields a *cairn.Error with code
// c.ErrorCode (MalformedInput by default) and status 400; indexes beyond
// c.MaxListLen are rejected before any allocation. On error dst may be partly
// filled. Any other error is a programming error.
func (c *Codec) Decode(form url.Values, dst any, n Naming) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsquery: Decode: dst must be a non-nil pointer to a struct, got %T", dst)
	}
	ti, err := c.plans.Plan(rv.Elem().Type(), n)
	if err != nil {
		return fmt.Errorf("awsquery: %w", err)
	}
	params, nodes := buildTree(form)
	d := decoder{
		params:   params,
		nodes:    nodes,
		maxDepth: c.maxDepth(),
		maxList:  c.maxListLen(),
		code:     c.errorCode(),
	}
	return d.decodeStruct(0, rv.Elem(), ti.Struct, true, 0)
}

// node is one segment of a dotted parameter name. The nodes of a form make
// a tree rooted at index 0; children are linked through first/next. Nodes
// hold no pointers (names are spans of the parameter names), so building
// the tree costs the garbage collector nothing.
type node struct {
	param      int32 // parameter whose name holds this segment
	start, end int32 // the segment: params[param].key[start:end]
	value      int32 // parameter whose value this node holds, or -1
	parent     int32
	first      int32
	last       int32
	next       int32
}

// param is one form parameter; only its first value counts.
type param struct {
	key, value string
}

// compareKeys orders parameter names so that a name and every name below
// it ("Tags", "Tags.member.1.Key", …) are adjacent: '.' sorts before every
// other byte.
func compareKeys(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := int(a[i])+1, int(b[i])+1
		if a[i] == '.' {
			x = 0
		}
		if b[i] == '.' {
			y = 0
		}
		if x != y {
			return x - y
		}
	}
	return len(a) - len(b)
}

// buildTree splits every parameter name on dots into a tree. With the
// names sorted by compareKeys, a segment equal to an existing child can only
// be its parent's last child, so building is O(n log n) whatever the input.
func buildTree(form url.Values) ([]param, []node) {
	params := make([]param, 0, len(form))
	segs := 1
	for k, vs := range form {
		p := param{key: k}
		if len(vs) > 0 {
			p.value = vs[0]
		} else {
			continue // no value and so no meaning; url.ParseQuery never makes these
		}
		params = append(params, p)
		segs += strings.Count(k, ".") + 1
	}
	order := make([]int32, len(params))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareKeys(params[a].key, params[b].key) })
	nodes := make([]node, 1, segs)
	nodes[0] = node{value: -1, parent: -1, first: -1, last: -1, next: -1}
	for _, pi := range order {
		key := params[pi].key
		cur := int32(0)
		pos := 0
		for {
			end := strings.IndexByte(key[pos:], '.')
			more := end >= 0
			if !more {
				end = len(key)
			} else {
				end += pos
			}
			seg := key[pos:end]
			if l := nodes[cur].last; l >= 0 && params[nodes[l].param].key[nodes[l].start:nodes[l].end] == seg {
				cur = l
			} else {
				id := int32(len(nodes))
				nodes = append(nodes, node{param: pi, start: int32(pos), end: int32(end), value: -1, parent: cur, first: -1, last: -1, next: -1})
				if l >= 0 {
					nodes[l].next = id
				} else {
					nodes[cur].first = id
				}
				nodes[cur].last = id
				cur = id
			}
			if !more {
				break
			}
			pos = end + 1
		}
		nodes[cur].value = pi
	}
	return params, nodes
}

type decoder struct {
	params   []param
	nodes    []node
	maxDepth int
	maxList  int
	code     string
}

func (d *decoder) fail(msg string) error {
	return &cairn.Error{Code: d.code, Message: msg, Status: 400}
}

// name is the segment of node ni.
func (d *decoder) name(ni int32) string {
	n := &d.nodes[ni]
	return d.params[n.param].key[n.start:n.end]
}

// value is the value of node ni, empty when it has none.
func (d *decoder) value(ni int32) string {
	if v := d.nodes[ni].value; v >= 0 {
		return d.params[v].value
	}
	return ""
}

// path is the parameter name of node ni.
func (d *decoder) path(ni int32) string {
	if ni <= 0 {
		return ""
	}
	n := &d.nodes[ni]
	return d.params[n.param].key[:n.end]
}

// convertError is the error for a value that does not parse as target.
func (d *decoder) convertError(ni int32, target string) error {
	v := d.value(ni)
	const max = 64
	if len(v) > max {
		v = v[:max]
		for len(v) > 0 && !utf8.ValidString(v) {
			v = v[:len(v)-1]
		}
		v += "..."
	}
	return d.fail(fmt.Sprintf("'%s' can not be converted to %s", v, target))
}

func ignoredTop(name string) bool {
	return name == "Action" || name == "Version" ||
		len(name) >= 6 && strings.EqualFold(name[:6], "X-Amz-")
}

func (d *decoder) decodeStruct(ni int32, v reflect.Value, sp *structPlan, top bool, depth int) error {
	if depth > d.maxDepth {
		return d.fail(fmt.Sprintf("%s: nesting depth exceeds the maximum of %d", d.path(ni), d.maxDepth))
	}
	var seen wireshape.ExactSet
	for ci := d.nodes[ni].first; ci >= 0; ci = d.nodes[ci].next {
		name := d.name(ci)
		if top && ignoredTop(name) {
			continue
		}
		f, exact := sp.LookupString(name)
		if f == nil || !seen.Accept(f.Pos, exact) {
			continue
		}
		if err := d.decodeValue(ci, v.Field(f.Index), f.Plan, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// scalarChildren reports an error when a scalar parameter has members.
func (d *decoder) scalarChildren(ni int32) error {
	if first := d.nodes[ni].first; first >= 0 {
		if strings.EqualFold(d.name(first), "member") {
			return d.fail(msgStartOfList)
		}
		return d.fail(msgStartOfStruct)
	}
	return nil
}

func isScalar(k wireshape.Kind) bool {
	switch k {
	case wireshape.Pointer, wireshape.Slice, wireshape.Map, wireshape.Struct:
		return false
	}
	return true
}

func (d *decoder) decodeValue(ni int32, v reflect.Value, ti *plan, depth int) error {
	nd := &d.nodes[ni]
	val := d.value(ni)
	switch ti.Kind {
	case wireshape.Pointer:
		if isScalar(ti.Elem.Kind) && ti.Elem.Kind != wireshape.String && val == "" && nd.first < 0 {
			return nil // empty value: absent
		}
		if v.IsNil() {
			v.Set(reflect.New(ti.Elem.Type))
		}
		return d.decodeValue(ni, v.Elem(), ti.Elem, depth)
	case wireshape.String:
		if err := d.scalarChildren(ni); err != nil {
			return err
		}
		v.SetString(val)
		return nil
	}
	if isScalar(ti.Kind) {
		if err := d.scalarChildren(ni); err != nil {
			return err
		}
		if val == "" {
			return nil
		}
	}
	switch ti.Kind {
	case wireshape.Bool:
		switch {
		case strings.EqualFold(val, "true"):
			v.SetBool(true)
		case strings.EqualFold(val, "false"):
			v.SetBool(false)
		default:
			return d.convertError(ni, "an Boolean")
		}
	case wireshape.Int:
		n, err := strconv.ParseInt(val, 10, ti.Bits)
		if err != nil {
			target := "an Integer"
			if ti.Type.Kind() == reflect.Int64 {
				target = "a Long"
			}
			return d.convertError(ni, target)
		}
		v.SetInt(n)
	case wireshape.Float64:
		f, ok := wireshape.ParseSpecialFloat(val)
		if !ok {
			var err error
			if f, err = strconv.ParseFloat(val, 64); err != nil {
				return d.convertError(ni, "a Double")
			}
		}
		v.SetFloat(f)
	case wireshape.Time:
		t, err := wireshape.ParseTimestamp(val)
		if err != nil {
			return d.convertError(ni, "a Timestamp")
		}
		*v.Addr().Interface().(*time.Time) = t
	case wireshape.Bytes:
		b, err := base64.StdEncoding.DecodeString(val)
		if err != nil {
			return d.convertError(ni, "a Blob")
		}
		v.SetBytes(b)
	case wireshape.Slice:
		return d.decodeList(ni, v, ti, depth)
	case wireshape.Map:
		return d.decodeMap(ni, v, ti, depth)
	case wireshape.Struct:
		if nd.first < 0 && val != "" {
			return d.fail(msgExpectStruct)
		}
		return d.decodeStruct(ni, v, ti.Struct, false, depth)
	}
	return nil
}

// child returns the first child of ni named name (case-insensitively).
func (d *decoder) child(ni int32, names ...string) int32 {
	for ci := d.nodes[ni].first; ci >= 0; ci = d.nodes[ci].next {
		for _, name := range names {
			if strings.EqualFold(d.name(ci), name) {
				return ci
			}
		}
	}
	return -1
}

// index parses a 1-based member index: canonical decimal, 1..maxList.
func (d *decoder) index(ci int32) (int, error) {
	s := d.name(ci)
	valid := s != "" && s[0] != '0' && len(s) <= 10
	n := 0
	for i := 0; valid && i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			valid = false
			break
		}
		n = n*10 + int(s[i]-'0')
	}
	if !valid {
		return 0, d.fail(fmt.Sprintf("%s is not a valid index", s))
	}
	if n > d.maxList {
		return 0, d.fail(fmt.Sprintf("%s: index %s exceeds the maximum of %d members", d.path(d.nodes[ci].parent), s, d.maxList))
	}
	return n, nil
}

// members returns the children of container node ci (a list's "member" or
// a map's "entry") with their indexes, checking them; for lists the indexes
// must run from 1 without gaps.
func (d *decoder) members(ci int32, contiguous bool) ([]int32, int, error) {
	count, top := 0, 0
	for mi := d.nodes[ci].first; mi >= 0; mi = d.nodes[mi].next {
		n, err := d.index(mi)
		if err != nil {
			return nil, 0, err
		}
		count++
		top = max(top, n)
		if count > d.maxList {
			return nil, 0, d.fail(fmt.Sprintf("%s: more than %d members", d.path(ci), d.maxList))
		}
	}
	if contiguous && count != top {
		return nil, 0, d.fail(fmt.Sprintf("%s: members must be numbered from 1 to %d without gaps", d.path(ci), top))
	}
	ids := make([]int32, 0, count)
	for mi := d.nodes[ci].first; mi >= 0; mi = d.nodes[mi].next {
		ids = append(ids, mi)
	}
	return ids, top, nil
}

func (d *decoder) decodeList(ni int32, v reflect.Value, ti *plan, depth int) error {
	nd := &d.nodes[ni]
	if depth > d.maxDepth {
		return d.fail(fmt.Sprintf("%s: nesting depth exceeds the maximum of %d", d.path(ni), d.maxDepth))
	}
	if nd.first < 0 {
		if d.value(ni) != "" {
			return d.fail(msgExpectList)
		}
		v.Set(reflect.MakeSlice(ti.Type, 0, 0)) // "Name=": the empty list
		return nil
	}
	mi := d.child(ni, "member")
	if mi < 0 {
		if d.child(ni, "entry") >= 0 {
			return d.fail(msgStartOfStruct)
		}
		return nil // only unknown members
	}
	ids, n, err := d.members(mi, true)
	if err != nil {
		return err
	}
	s := reflect.MakeSlice(ti.Type, n, n)
	for _, id := range ids {
		idx, _ := strconv.Atoi(d.name(id))
		if err := d.decodeValue(id, s.Index(idx-1), ti.Elem, depth+1); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

func (d *decoder) decodeMap(ni int32, v reflect.Value, ti *plan, depth int) error {
	nd := &d.nodes[ni]
	if depth > d.maxDepth {
		return d.fail(fmt.Sprintf("%s: nesting depth exceeds the maximum of %d", d.path(ni), d.maxDepth))
	}
	if nd.first < 0 {
		if d.value(ni) != "" {
			return d.fail(msgExpectMap)
		}
		v.Set(reflect.MakeMapWithSize(ti.Type, 0))
		return nil
	}
	ei := d.child(ni, "entry")
	if ei < 0 {
		if d.child(ni, "member") >= 0 {
			return d.fail(msgStartOfList)
		}
		return nil
	}
	ids, _, err := d.members(ei, false)
	if err != nil {
		return err
	}
	m := reflect.MakeMapWithSize(ti.Type, len(ids))
	key := reflect.New(ti.Type.Key()).Elem()
	for _, id := range ids {
		ki := d.child(id, "key", "Name")
		if ki < 0 {
			return d.fail(fmt.Sprintf("%s: map entry has no key", d.path(id)))
		}
		if err := d.scalarChildren(ki); err != nil {
			return err
		}
		elem := reflect.New(ti.Elem.Type).Elem()
		if vi := d.child(id, "value"); vi >= 0 {
			if err := d.decodeValue(vi, elem, ti.Elem, depth+1); err != nil {
				return err
			}
		}
		key.SetString(d.value(ki))
		m.SetMapIndex(key, elem)
	}
	v.Set(m)
	return nil
}
