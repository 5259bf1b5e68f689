package iam

import "unicode/utf8"

// Statement positions for the simulator's MatchedStatements: where each
// element of a document's Statement (an array of objects, or a single
// object) starts and ends, as 1-based line and column, columns counted in
// characters. StartPosition is the statement's opening brace and
// EndPosition its closing brace. The documents were validated by the
// policy package already, so the scanner trusts their JSON; it never reads
// past the end of the text whatever it is given.

// textPos is a byte offset resolved to a line and a column.
type textPos struct{ Line, Column int32 }

// span is where one statement lies in its document.
type span struct{ Start, End textPos }

// statementSpans returns the span of every statement of doc, in the order
// of the Statement array; nil when doc has no Statement it can find.
func statementSpans(doc string) []span {
	sc := &jscan{s: doc}
	sc.ws()
	if !sc.eat('{') {
		return nil
	}
	for {
		sc.ws()
		if sc.eat('}') || sc.i >= len(sc.s) {
			return nil
		}
		key, ok := sc.str()
		if !ok {
			return nil
		}
		sc.ws()
		if !sc.eat(':') {
			return nil
		}
		sc.ws()
		if key != "Statement" {
			sc.skip()
			sc.ws()
			sc.eat(',')
			continue
		}
		if sc.peek() == '{' {
			start := sc.i
			sc.skip()
			return []span{sc.span(start, sc.i-1)}
		}
		if !sc.eat('[') {
			return nil
		}
		var out []span
		for {
			sc.ws()
			if sc.eat(']') || sc.i >= len(sc.s) {
				return out
			}
			start := sc.i
			sc.skip()
			if sc.i == start { // not a value: malformed, stop
				return out
			}
			out = append(out, sc.span(start, sc.i-1))
			sc.ws()
			sc.eat(',')
		}
	}
}

// jscan walks JSON text without building it.
type jscan struct {
	s string
	i int
}

func (sc *jscan) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

func (sc *jscan) eat(c byte) bool {
	if sc.peek() == c && sc.i < len(sc.s) {
		sc.i++
		return true
	}
	return false
}

func (sc *jscan) ws() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// str reads a string and returns its raw text (escapes are kept: policy
// keys have none).
func (sc *jscan) str() (string, bool) {
	if !sc.eat('"') {
		return "", false
	}
	start := sc.i
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case '\\':
			sc.i += 2
		case '"':
			v := sc.s[start:sc.i]
			sc.i++
			return v, true
		default:
			sc.i++
		}
	}
	return "", false
}

// skip moves past one value of any kind.
func (sc *jscan) skip() {
	switch sc.peek() {
	case '"':
		sc.str()
	case '{', '[':
		depth := 0
		for sc.i < len(sc.s) {
			switch sc.s[sc.i] {
			case '"':
				sc.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					sc.i++
					return
				}
			}
			sc.i++
		}
	default:
		for sc.i < len(sc.s) {
			switch sc.s[sc.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			sc.i++
		}
	}
}

func (sc *jscan) span(start, end int) span {
	return span{Start: position(sc.s, start), End: position(sc.s, end)}
}

// position resolves a byte offset of s to a 1-based line and column.
func position(s string, off int) textPos {
	if off > len(s) {
		off = len(s)
	}
	line, col := int32(1), int32(1)
	for i := 0; i < off; {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == '\n' {
			line++
			col = 1
			continue
		}
		col++
	}
	return textPos{Line: line, Column: col}
}
