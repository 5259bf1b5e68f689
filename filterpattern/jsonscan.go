package filterpattern

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A hand-written scanner over the raw JSON of a message. It walks the
// document once, descends only into the members and elements some selector
// of the pattern names, and skips everything else without decoding it: no
// maps, no interfaces, and no allocation unless a selected string carries
// escapes.

// vkind is the kind of JSON value a selector reached.
type vkind uint8

const (
	vNone vkind = iota // the selector reached nothing
	vString
	vNumber
	vTrue
	vFalse
	vNull
	vObject
	vArray
)

// jval is the value at one selector: for strings the text between the
// quotes (escapes not decoded), for numbers and literals the literal text.
type jval struct {
	kind vkind
	raw  string
	esc  bool // raw contains backslash escapes
}

// text returns a scalar's text: the decoded string, or the literal as
// written (numbers, true, false, null). ok is false for objects, arrays and
// missing values.
func (v *jval) text() (string, bool) {
	switch v.kind {
	case vString:
		if v.esc {
			return decodeJSONString(v.raw), true
		}
		return v.raw, true
	case vNumber, vTrue, vFalse, vNull:
		return v.raw, true
	}
	return "", false
}

// step is one step of a selector: .key or [index].
type step struct {
	key   string
	index int
	isIdx bool
}

// pathNode is a trie of the selectors a pattern uses.
type pathNode struct {
	slot int // index in the walker's output, or -1
	keys []keyChild
	idxs []idxChild
}

type keyChild struct {
	key  string
	node *pathNode
}

type idxChild struct {
	index int
	node  *pathNode
}

func newPathNode() *pathNode { return &pathNode{slot: -1} }

// add inserts a selector and returns its slot; equal selectors share one.
func (n *pathNode) add(steps []step, next *int) int {
	for _, s := range steps {
		var child *pathNode
		if s.isIdx {
			for _, c := range n.idxs {
				if c.index == s.index {
					child = c.node
				}
			}
			if child == nil {
				child = newPathNode()
				n.idxs = append(n.idxs, idxChild{s.index, child})
			}
		} else {
			for _, c := range n.keys {
				if c.key == s.key {
					child = c.node
				}
			}
			if child == nil {
				child = newPathNode()
				n.keys = append(n.keys, keyChild{s.key, child})
			}
		}
		n = child
	}
	if n.slot < 0 {
		n.slot = *next
		*next++
	}
	return n.slot
}

func (n *pathNode) key(k string) *pathNode {
	for i := range n.keys {
		if n.keys[i].key == k {
			return n.keys[i].node
		}
	}
	return nil
}

func (n *pathNode) index(i int) *pathNode {
	for j := range n.idxs {
		if n.idxs[j].index == i {
			return n.idxs[j].node
		}
	}
	return nil
}

// maxDepth bounds how deep the scanner descends into selected containers;
// a deeper document does not match.
const maxDepth = 512

type walker struct {
	s   string
	i   int
	out []jval
}

// walkJSON scans message, a JSON object, and fills out[slot] for every
// selector of root. It reports false when message is not a JSON object.
func walkJSON(message string, root *pathNode, out []jval) bool {
	for i := range out {
		out[i] = jval{}
	}
	w := walker{s: message, out: out}
	w.ws()
	if w.i >= len(w.s) || w.s[w.i] != '{' {
		return false
	}
	if !w.value(root, 0) {
		return false
	}
	w.ws()
	return w.i == len(w.s)
}

func (w *walker) ws() {
	for w.i < len(w.s) {
		switch w.s[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

// value reads the value at w.i, recording it for n (when n is a selector's
// end) and descending into it for n's children.
func (w *walker) value(n *pathNode, depth int) bool {
	if w.i >= len(w.s) {
		return false
	}
	start := w.i
	c := w.s[w.i]
	if n == nil || (n.slot < 0 && (c != '{' || len(n.keys) == 0) && (c != '[' || len(n.idxs) == 0)) {
		return w.skip()
	}
	var v jval
	switch c {
	case '"':
		end, esc, ok := w.stringEnd(w.i)
		if !ok {
			return false
		}
		v = jval{kind: vString, raw: w.s[start+1 : end-1], esc: esc}
		w.i = end
	case '{':
		v.kind = vObject
		if depth >= maxDepth {
			return false
		}
		if !w.object(n, depth+1) {
			return false
		}
	case '[':
		v.kind = vArray
		if depth >= maxDepth {
			return false
		}
		if !w.array(n, depth+1) {
			return false
		}
	default:
		kind, ok := w.literal()
		if !ok {
			return false
		}
		v = jval{kind: kind, raw: w.s[start:w.i]}
	}
	if n.slot >= 0 {
		w.out[n.slot] = v
	}
	return true
}

func (w *walker) object(n *pathNode, depth int) bool {
	w.i++ // {
	w.ws()
	if w.i < len(w.s) && w.s[w.i] == '}' {
		w.i++
		return true
	}
	for {
		if w.i >= len(w.s) || w.s[w.i] != '"' {
			return false
		}
		end, esc, ok := w.stringEnd(w.i)
		if !ok {
			return false
		}
		key := w.s[w.i+1 : end-1]
		if esc {
			key = decodeJSONString(key)
		}
		w.i = end
		w.ws()
		if w.i >= len(w.s) || w.s[w.i] != ':' {
			return false
		}
		w.i++
		w.ws()
		if !w.value(n.key(key), depth) {
			return false
		}
		w.ws()
		if w.i >= len(w.s) {
			return false
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.ws()
		case '}':
			w.i++
			return true
		default:
			return false
		}
	}
}

func (w *walker) array(n *pathNode, depth int) bool {
	w.i++ // [
	w.ws()
	if w.i < len(w.s) && w.s[w.i] == ']' {
		w.i++
		return true
	}
	for idx := 0; ; idx++ {
		if !w.value(n.index(idx), depth) {
			return false
		}
		w.ws()
		if w.i >= len(w.s) {
			return false
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.ws()
		case ']':
			w.i++
			return true
		default:
			return false
		}
	}
}

// stringEnd returns the offset after the closing quote of the string
// starting at i, and whether it contains escapes.
func (w *walker) stringEnd(i int) (end int, esc bool, ok bool) {
	j := i + 1
	for {
		k := strings.IndexByte(w.s[j:], '"')
		if k < 0 {
			return 0, false, false
		}
		q := j + k
		// The quote is escaped when an odd number of backslashes precede it.
		bs := 0
		for p := q - 1; p > i && w.s[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			if !esc {
				esc = strings.IndexByte(w.s[i+1:q], '\\') >= 0
			}
			return q + 1, esc, true
		}
		esc = true
		j = q + 1
	}
}

// literal reads a number, true, false or null.
func (w *walker) literal() (vkind, bool) {
	rest := w.s[w.i:]
	switch {
	case strings.HasPrefix(rest, "true"):
		w.i += 4
		return vTrue, true
	case strings.HasPrefix(rest, "false"):
		w.i += 5
		return vFalse, true
	case strings.HasPrefix(rest, "null"):
		w.i += 4
		return vNull, true
	}
	j := w.i
	for j < len(w.s) {
		c := w.s[j]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			j++
			continue
		}
		break
	}
	if j == w.i {
		return vNone, false
	}
	w.i = j
	return vNumber, true
}

// skip passes over one value without recording anything. Containers are
// skipped by counting brackets outside strings.
func (w *walker) skip() bool {
	if w.i >= len(w.s) {
		return false
	}
	switch w.s[w.i] {
	case '"':
		end, _, ok := w.stringEnd(w.i)
		w.i = end
		return ok
	case '{', '[':
		depth := 0
		for w.i < len(w.s) {
			switch w.s[w.i] {
			case '"':
				end, _, ok := w.stringEnd(w.i)
				if !ok {
					return false
				}
				w.i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					w.i++
					return true
				}
			}
			w.i++
		}
		return false
	default:
		_, ok := w.literal()
		return ok
	}
}

// decodeJSONString decodes the escapes of a JSON string's text. Invalid
// escapes are kept as written.
func decodeJSONString(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			b.WriteByte(c)
			continue
		}
		i++
		switch raw[i] {
		case '"', '\\', '/':
			b.WriteByte(raw[i])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n := hex4(raw, i+1)
			if n == 0 {
				b.WriteString(`\u`)
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, n2 := hex4(raw, i+3); n2 > 0 && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					}
				}
			}
			b.WriteRune(r)
		default:
			b.WriteByte('\\')
			b.WriteByte(raw[i])
		}
	}
	return b.String()
}

func hex4(s string, i int) (rune, int) {
	if i+4 > len(s) {
		return 0, 0
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(v), 4
}
