package filterpattern

import (
	"bytes"
	"strings"
)

// The literal prefilter: a boolean formula of "the message contains this
// text" that every matching message satisfies. Checking it costs a
// substring search (SIMD in the standard library) and no parsing, so most
// non-matching messages are ruled out before any JSON is scanned. For a
// batch of messages, Candidates searches the whole batch once per literal
// rather than message by message.
//
// Literals taken from JSON strings (values and keys) could be written with
// escapes in the message. They are cut at the characters JSON escapes with
// a backslash of their own (" \ / and control characters), so each piece
// appears verbatim unless some character of it is written as \uXXXX; a
// message containing \u is therefore always a candidate for such patterns.

type reqKind int

const (
	reqTrue reqKind = iota // no requirement
	reqLit                 // contains lit
	reqAll                 // every kid holds
	reqAny                 // some kid holds
)

type req struct {
	kind reqKind
	lit  string
	kids []req
}

// minLiteral is the shortest literal worth a search for JSON and
// space-delimited patterns.
const minLiteral = 3

func all(kids []req) req {
	var out []req
	for _, k := range kids {
		switch k.kind {
		case reqTrue:
			continue
		case reqAll:
			out = append(out, k.kids...)
		default:
			out = append(out, k)
		}
	}
	switch len(out) {
	case 0:
		return req{}
	case 1:
		return out[0]
	}
	return req{kind: reqAll, kids: out}
}

func anyOf(kids []req) req {
	var out []req
	for _, k := range kids {
		switch k.kind {
		case reqTrue:
			return req{}
		case reqAny:
			out = append(out, k.kids...)
		default:
			out = append(out, k)
		}
	}
	switch len(out) {
	case 0:
		return req{}
	case 1:
		return out[0]
	}
	return req{kind: reqAny, kids: out}
}

// holds evaluates the requirement on one message.
func (r *req) holds(message string) bool {
	switch r.kind {
	case reqLit:
		return strings.Contains(message, r.lit)
	case reqAll:
		for i := range r.kids {
			if !r.kids[i].holds(message) {
				return false
			}
		}
		return true
	case reqAny:
		for i := range r.kids {
			if r.kids[i].holds(message) {
				return true
			}
		}
		return false
	}
	return true
}

// requirement derives the prefilter of the parsed pattern.
func (p *Pattern) requirement() req {
	switch p.kind {
	case JSON:
		return p.json.expr.requirement()
	case Delimited:
		var kids []req
		for _, sl := range p.delim.slots {
			if sl.expr != nil {
				kids = append(kids, sl.expr.requirement())
			}
		}
		return all(kids)
	default:
		var groups []req
		for _, g := range p.terms.groups {
			var kids []req
			for _, t := range g.include {
				if t.re == nil && t.text != "" {
					kids = append(kids, req{kind: reqLit, lit: t.text})
				}
			}
			groups = append(groups, all(kids))
		}
		if len(groups) == 0 {
			return req{}
		}
		return anyOf(groups)
	}
}

func (e *jexpr) requirement() req {
	switch {
	case e.cond != nil:
		return e.cond.requirement()
	case e.and != nil:
		kids := make([]req, len(e.and))
		for i, k := range e.and {
			kids[i] = k.requirement()
		}
		return all(kids)
	default:
		kids := make([]req, len(e.or))
		for i, k := range e.or {
			kids[i] = k.requirement()
		}
		return anyOf(kids)
	}
}

func (c *jcond) requirement() req {
	switch {
	case c.op == opNotExists:
		return req{}
	case c.op == opEq && c.val.kind == operandString:
		if r := jsonLiteral(c.val.text); r.kind != reqTrue {
			return r
		}
	}
	// Every other condition needs the selector to reach a value, so its
	// last property name is in the message.
	for i := len(c.steps) - 1; i >= 0; i-- {
		if !c.steps[i].isIdx {
			return jsonLiteral(c.steps[i].key)
		}
	}
	return req{}
}

// jsonLiteral is the longest piece of s between characters JSON escapes
// with a backslash, if it is long enough to be worth a search.
func jsonLiteral(s string) req {
	best := ""
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !jsonEscaped(s[i]) {
			continue
		}
		if i-start > len(best) {
			best = s[start:i]
		}
		start = i + 1
	}
	if len(best) < minLiteral {
		return req{}
	}
	return req{kind: reqLit, lit: best}
}

func jsonEscaped(c byte) bool { return c == '"' || c == '\\' || c == '/' || c < 0x20 }

func (e *dexpr) requirement() req {
	switch {
	case e.cond != nil:
		c := e.cond
		if c.op == opEq && c.val.kind == operandString && len(c.val.text) >= minLiteral {
			return req{kind: reqLit, lit: c.val.text}
		}
		return req{}
	case e.and != nil:
		kids := make([]req, len(e.and))
		for i, k := range e.and {
			kids[i] = k.requirement()
		}
		return all(kids)
	default:
		kids := make([]req, len(e.or))
		for i, k := range e.or {
			kids[i] = k.requirement()
		}
		return anyOf(kids)
	}
}

// escapable reports whether the prefilter's literals come from JSON text.
func (p *Pattern) escapable() bool { return p.kind == JSON }

// mayMatch is the prefilter for one message.
func (p *Pattern) mayMatch(message string) bool {
	if p.pre.kind == reqTrue {
		return true
	}
	if p.escapable() && strings.Contains(message, `\u`) {
		return true
	}
	return p.pre.holds(message)
}

// Candidates marks the messages of a batch that may match. data holds the
// messages back to back; message i is data[ends[i-1]:ends[i]] (the first
// starts at 0). may must have len(ends) elements; Candidates sets may[i] to
// false only when message i cannot match, and to true otherwise. Only the
// messages it leaves true need Match.
func (p *Pattern) Candidates(data []byte, ends []int, may []bool) {
	if p.pre.kind == reqTrue {
		for i := range may {
			may[i] = true
		}
		return
	}
	words := (len(ends) + 63) / 64
	hits := p.pre.batch(data, ends, words)
	var esc []uint64
	if p.escapable() {
		esc = occurrences(data, ends, []byte(`\u`), words)
	}
	for i := range may {
		bit := hits[i/64]>>(i%64)&1 != 0
		if esc != nil && esc[i/64]>>(i%64)&1 != 0 {
			bit = true
		}
		may[i] = bit
	}
}

// batch evaluates the requirement on every message of a batch at once, as
// bitsets.
func (r *req) batch(data []byte, ends []int, words int) []uint64 {
	switch r.kind {
	case reqLit:
		return occurrences(data, ends, []byte(r.lit), words)
	case reqAll:
		acc := r.kids[0].batch(data, ends, words)
		for i := 1; i < len(r.kids); i++ {
			k := r.kids[i].batch(data, ends, words)
			for w := range acc {
				acc[w] &= k[w]
			}
		}
		return acc
	case reqAny:
		acc := r.kids[0].batch(data, ends, words)
		for i := 1; i < len(r.kids); i++ {
			k := r.kids[i].batch(data, ends, words)
			for w := range acc {
				acc[w] |= k[w]
			}
		}
		return acc
	}
	acc := make([]uint64, words)
	for i := range ends {
		acc[i/64] |= 1 << (i % 64)
	}
	return acc
}

// occurrences returns the set of messages that contain lit: one search over
// the whole batch, skipping to the next message after each hit.
func occurrences(data []byte, ends []int, lit []byte, words int) []uint64 {
	set := make([]uint64, words)
	msg, pos := 0, 0
	for pos < len(data) && msg < len(ends) {
		k := bytes.Index(data[pos:], lit)
		if k < 0 {
			break
		}
		at := pos + k
		for msg < len(ends) && ends[msg] <= at {
			msg++
		}
		if msg == len(ends) {
			break
		}
		if at+len(lit) <= ends[msg] {
			set[msg/64] |= 1 << (msg % 64)
			pos = ends[msg]
			msg++
			continue
		}
		// The occurrence spans two messages: look again just after it starts.
		pos = at + 1
	}
	return set
}
