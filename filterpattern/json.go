package filterpattern

import (
	"strconv"
	"strings"
	"sync"
)

// jsonPattern is a parsed { ... } pattern: a boolean expression over
// conditions, each on one selector.
type jsonPattern struct {
	expr    *jexpr
	root    *pathNode // every selector the conditions use
	slots   int
	regexes int
	// bufs recycles the per-match value slots: the recursive scanner makes
	// them escape to the heap, and a pool keeps Match allocation-free.
	bufs sync.Pool
}

// jexpr is a node of the boolean expression: && or || of children, or a
// condition.
type jexpr struct {
	and, or []*jexpr
	cond    *jcond
}

// jcond is one comparison.
type jcond struct {
	selector string // as written, for the prefilter and errors
	steps    []step
	slot     int
	op       op
	val      operand
}

func parseJSON(s string, off int) (*jsonPattern, error) {
	l := newLexer(s, off)
	if !l.tok.is(tokPunct, "{") {
		return nil, syntaxErr(l.tok.off, "a JSON pattern starts with {")
	}
	l.next()
	jp := &jsonPattern{root: newPathNode()}
	e, err := jp.parseOrAt(l, 0)
	if err != nil {
		return nil, err
	}
	if !l.tok.is(tokPunct, "}") {
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "expected && or || or }, found %q", l.tok.text)
	}
	l.next()
	if l.tok.kind != tokEOF || l.err != nil {
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "unexpected %q after }", l.tok.text)
	}
	jp.expr = e
	return jp, nil
}

// maxNesting bounds parentheses, so that a hostile pattern cannot exhaust
// the stack.
const maxNesting = 64

func (jp *jsonPattern) parseUnaryAt(l *lexer, depth int) (*jexpr, error) {
	if e, ok, err := parenthesized(l, depth, func(d int) (*jexpr, error) { return jp.parseOrAt(l, d) }); ok {
		return e, err
	}
	c, err := jp.parseCond(l)
	if err != nil {
		return nil, err
	}
	return &jexpr{cond: c}, nil
}

// parseOrAt parses an || of && of conditions or parenthesized expressions,
// depth parentheses deep.
func (jp *jsonPattern) parseOrAt(l *lexer, depth int) (*jexpr, error) {
	and := func() (*jexpr, error) {
		return joined(l, tokAnd, func() (*jexpr, error) { return jp.parseUnaryAt(l, depth) },
			func(es []*jexpr) *jexpr { return &jexpr{and: es} })
	}
	return joined(l, tokOr, and, func(es []*jexpr) *jexpr { return &jexpr{or: es} })
}

func (jp *jsonPattern) parseCond(l *lexer) (*jcond, error) {
	if l.tok.kind != tokSelector {
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "expected a selector such as $.field, found %q", l.tok.text)
	}
	steps, err := parseSelector(l.tok.text, l.tok.off)
	if err != nil {
		return nil, err
	}
	c := &jcond{selector: l.tok.text, steps: steps}
	c.slot = jp.root.add(steps, &jp.slots)
	l.next()
	switch {
	case l.tok.is(tokWord, "IS"):
		l.next()
		switch {
		case l.tok.is(tokWord, "NULL"):
			c.op = opIsNull
		case l.tok.is(tokWord, "TRUE"):
			c.op = opIsTrue
		case l.tok.is(tokWord, "FALSE"):
			c.op = opIsFalse
		default:
			return nil, syntaxErr(l.tok.off, "expected NULL, TRUE or FALSE after IS")
		}
		l.next()
		return c, nil
	case l.tok.is(tokWord, "NOT"):
		l.next()
		if !l.tok.is(tokWord, "EXISTS") {
			return nil, syntaxErr(l.tok.off, "expected EXISTS after NOT")
		}
		c.op = opNotExists
		l.next()
		return c, nil
	case l.tok.kind == tokOp:
		c.op = opNames[l.tok.text]
	default:
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "expected a comparison after %s", c.selector)
	}
	l.next()
	c.val, err = operandOf(l, c.op, &jp.regexes)
	if err != nil {
		return nil, err
	}
	l.next()
	return c, nil
}

// operandOf reads the value of a comparison: a quoted string, a %regex%, or
// a bare word (a number, or a string). Numeric operators need a number.
func operandOf(l *lexer, o op, regexes *int) (operand, error) {
	t := l.tok
	numericOp := o != opEq && o != opNe
	switch t.kind {
	case tokQuoted:
		if numericOp {
			return operand{}, syntaxErr(t.off, "%s needs a number", opText(o))
		}
		return stringOperand(t.text), nil
	case tokRegex:
		if numericOp {
			return operand{}, syntaxErr(t.off, "%s needs a number", opText(o))
		}
		re, err := compileRegex(t.text, t.off)
		if err != nil {
			return operand{}, err
		}
		*regexes++
		return operand{kind: operandRegex, re: re}, nil
	case tokWord:
		if isNumber(t.text) {
			f, _ := parseNumber(t.text)
			return operand{kind: operandNumber, num: f, text: t.text}, nil
		}
		if numericOp {
			return operand{}, syntaxErr(t.off, "%s needs a number, found %q", opText(o), t.text)
		}
		return stringOperand(t.text), nil
	}
	if l.err != nil {
		return operand{}, l.err
	}
	return operand{}, syntaxErr(t.off, "expected a value, found %q", t.text)
}

func opText(o op) string {
	for k, v := range opNames {
		if v == o {
			return k
		}
	}
	return "?"
}

// parseSelector turns $.a.b[0].c into steps.
func parseSelector(sel string, off int) ([]step, error) {
	var steps []step
	i := 1 // past $
	for i < len(sel) {
		switch sel[i] {
		case '.':
			j := i + 1
			for j < len(sel) && isNameChar(sel[j]) {
				j++
			}
			if j == i+1 {
				return nil, syntaxErr(off+i, "empty property name in %s", sel)
			}
			steps = append(steps, step{key: sel[i+1 : j]})
			i = j
		case '[':
			j := strings.IndexByte(sel[i:], ']')
			if j < 0 {
				return nil, syntaxErr(off+i, "unclosed [ in %s", sel)
			}
			n, err := strconv.Atoi(sel[i+1 : i+j])
			if err != nil || n < 0 || sel[i+1] == '+' || sel[i+1] == '-' {
				return nil, syntaxErr(off+i, "array index must be a number in %s", sel)
			}
			if len(steps) == 0 {
				return nil, syntaxErr(off+i, "an array index must follow a property in %s", sel)
			}
			steps = append(steps, step{index: n, isIdx: true})
			i += j + 1
		default:
			return nil, syntaxErr(off+i, "unexpected %q in %s", sel[i], sel)
		}
	}
	if len(steps) == 0 {
		return nil, syntaxErr(off, "a selector needs at least one property")
	}
	return steps, nil
}

// match evaluates the pattern on message.
func (jp *jsonPattern) match(message string) bool {
	bp, _ := jp.bufs.Get().(*[]jval)
	if bp == nil {
		b := make([]jval, jp.slots)
		bp = &b
	}
	vals := *bp
	ok := walkJSON(message, jp.root, vals) && jp.expr.eval(vals)
	clear(vals) // drop references to the message
	jp.bufs.Put(bp)
	return ok
}

func (e *jexpr) eval(vals []jval) bool {
	switch {
	case e.cond != nil:
		return e.cond.test(&vals[e.cond.slot])
	case e.and != nil:
		for _, k := range e.and {
			if !k.eval(vals) {
				return false
			}
		}
		return true
	default:
		for _, k := range e.or {
			if k.eval(vals) {
				return true
			}
		}
		return false
	}
}

// test applies the condition to the value its selector reached.
func (c *jcond) test(v *jval) bool {
	switch c.op {
	case opNotExists:
		return v.kind == vNone
	case opIsNull:
		return v.kind == vNull
	case opIsTrue:
		return v.kind == vTrue
	case opIsFalse:
		return v.kind == vFalse
	}
	if c.val.kind == operandNumber {
		var f float64
		switch v.kind {
		case vNumber:
			n, ok := parseNumber(v.raw)
			if !ok {
				return false
			}
			f = n
		case vString:
			// A number written as a JSON string compares as a number.
			s, _ := v.text()
			n, ok := parseNumber(strings.TrimSpace(s))
			if !ok {
				return false
			}
			f = n
		default:
			return false
		}
		return compareNumber(c.op, f, c.val.num)
	}
	s, ok := v.text()
	if !ok {
		return false
	}
	eq := c.val.matchString(s)
	if c.op == opNe {
		return !eq
	}
	return eq
}
