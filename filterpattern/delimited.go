package filterpattern

import (
	"strconv"
)

// delimPattern is a parsed space-delimited pattern [a, b = 1, ..., c].
type delimPattern struct {
	slots    []dslot
	ellipsis int // index of the ... slot, or -1
	regexes  int
}

// dslot is one position of the pattern: a named or unnamed field with an
// optional condition, or the ... that stands for any number of fields.
type dslot struct {
	name     string
	ellipsis bool
	expr     *dexpr // nil: any value
}

// dexpr is a condition tree on fields: && or || of children, or a
// comparison.
type dexpr struct {
	and, or []*dexpr
	cond    *dcond
}

type dcond struct {
	name string
	slot int // the field compared: the slot named name, or the own slot
	op   op
	val  operand
}

func parseDelimited(s string, off int) (*delimPattern, error) {
	l := newLexer(s, off)
	if !l.tok.is(tokPunct, "[") {
		return nil, syntaxErr(l.tok.off, "a space-delimited pattern starts with [")
	}
	l.next()
	dp := &delimPattern{ellipsis: -1}
	for {
		slot, err := dp.parseSlot(l)
		if err != nil {
			return nil, err
		}
		if slot.ellipsis {
			if dp.ellipsis >= 0 {
				return nil, syntaxErr(l.tok.off, "a pattern may use ... only once")
			}
			dp.ellipsis = len(dp.slots)
		}
		dp.slots = append(dp.slots, slot)
		if l.tok.is(tokPunct, ",") {
			l.next()
			continue
		}
		if l.tok.is(tokPunct, "]") {
			l.next()
			break
		}
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "expected , or ], found %q", l.tok.text)
	}
	if l.tok.kind != tokEOF || l.err != nil {
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "unexpected %q after ]", l.tok.text)
	}
	if len(dp.slots) == 1 && dp.slots[0].name == "" && dp.slots[0].expr == nil && !dp.slots[0].ellipsis {
		return nil, syntaxErr(off, "a space-delimited pattern needs at least one field")
	}
	// Conditions name the field they compare; a name no field has refers
	// to the condition's own field.
	byName := map[string]int{}
	for i, sl := range dp.slots {
		if sl.name != "" {
			if _, dup := byName[sl.name]; dup {
				return nil, syntaxErr(off, "field %q is named twice", sl.name)
			}
			byName[sl.name] = i
		}
	}
	for i := range dp.slots {
		if e := dp.slots[i].expr; e != nil {
			e.resolve(i, byName)
		}
	}
	return dp, nil
}

func (e *dexpr) resolve(own int, byName map[string]int) {
	if e.cond != nil {
		if i, ok := byName[e.cond.name]; ok {
			e.cond.slot = i
		} else {
			e.cond.slot = own
		}
		return
	}
	for _, k := range append(e.and, e.or...) {
		k.resolve(own, byName)
	}
}

func (dp *delimPattern) parseSlot(l *lexer) (dslot, error) {
	switch {
	case l.tok.kind == tokEllipsis:
		l.next()
		return dslot{ellipsis: true}, nil
	case l.tok.is(tokPunct, ",") || l.tok.is(tokPunct, "]"):
		return dslot{}, nil // an unnamed field
	}
	e, err := dp.parseOr(l, 0)
	if err != nil {
		return dslot{}, err
	}
	slot := dslot{expr: e}
	// The field is named by its first condition, or is a bare name.
	first := e
	for first.cond == nil {
		if len(first.and) > 0 {
			first = first.and[0]
		} else {
			first = first.or[0]
		}
	}
	slot.name = first.cond.name
	if first == e && first.cond.op == opAny {
		slot.expr = nil
	}
	return slot, nil
}

// opAny marks a bare field name: no condition.
const opAny op = -1

func (dp *delimPattern) parseOr(l *lexer, depth int) (*dexpr, error) {
	return joined(l, tokOr, func() (*dexpr, error) { return dp.parseAnd(l, depth) },
		func(es []*dexpr) *dexpr { return &dexpr{or: es} })
}

func (dp *delimPattern) parseAnd(l *lexer, depth int) (*dexpr, error) {
	return joined(l, tokAnd, func() (*dexpr, error) { return dp.parseUnary(l, depth) },
		func(es []*dexpr) *dexpr { return &dexpr{and: es} })
}

func (dp *delimPattern) parseUnary(l *lexer, depth int) (*dexpr, error) {
	if e, ok, err := parenthesized(l, depth, func(d int) (*dexpr, error) { return dp.parseOr(l, d) }); ok {
		return e, err
	}
	if l.tok.kind != tokWord || l.tok.text == "" {
		if l.err != nil {
			return nil, l.err
		}
		return nil, syntaxErr(l.tok.off, "expected a field name, found %q", l.tok.text)
	}
	c := &dcond{name: l.tok.text, op: opAny}
	l.next()
	if l.tok.kind != tokOp {
		return &dexpr{cond: c}, nil
	}
	c.op = opNames[l.tok.text]
	l.next()
	var err error
	c.val, err = operandOf(l, c.op, &dp.regexes)
	if err != nil {
		return nil, err
	}
	l.next()
	return &dexpr{cond: c}, nil
}

// span is one field of a message: its value's offsets.
type span struct{ start, end int }

// maxStackFields is how many fields splitting handles without allocating.
const maxStackFields = 32

// splitFields splits message into space-delimited fields; text between
// double quotes or square brackets is one field, without the quotes or
// brackets.
func splitFields(message string, out []span) []span {
	i := 0
	for {
		for i < len(message) && isSpace(message[i]) {
			i++
		}
		if i == len(message) {
			return out
		}
		switch message[i] {
		case '"':
			j := i + 1
			for j < len(message) && message[j] != '"' {
				j++
			}
			out = append(out, span{i + 1, j})
			i = min(j+1, len(message))
		case '[':
			depth, j := 1, i+1
			for ; j < len(message); j++ {
				if message[j] == '[' {
					depth++
				} else if message[j] == ']' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			out = append(out, span{i + 1, j})
			i = min(j+1, len(message))
		default:
			j := i
			for j < len(message) && !isSpace(message[j]) {
				j++
			}
			out = append(out, span{i, j})
			i = j
		}
	}
}

// align maps pattern slots to message fields: fieldOf[slot] is the index
// of the slot's field (-1 for the ... slot). ok is false when the message
// has too few or too many fields.
func (dp *delimPattern) align(fields []span, fieldOf []int) bool {
	n := len(dp.slots)
	if dp.ellipsis < 0 {
		if len(fields) != n {
			return false
		}
		for i := range fieldOf {
			fieldOf[i] = i
		}
		return true
	}
	if len(fields) < n-1 {
		return false
	}
	for i := 0; i < dp.ellipsis; i++ {
		fieldOf[i] = i
	}
	fieldOf[dp.ellipsis] = -1
	for i := dp.ellipsis + 1; i < n; i++ {
		fieldOf[i] = len(fields) - (n - i)
	}
	return true
}

func (dp *delimPattern) match(message string) bool {
	var fbuf [maxStackFields]span
	var sbuf [maxStackFields]int
	fields := splitFields(message, fbuf[:0])
	fieldOf := sbuf[:0]
	if len(dp.slots) <= maxStackFields {
		fieldOf = sbuf[:len(dp.slots)]
	} else {
		fieldOf = make([]int, len(dp.slots))
	}
	if !dp.align(fields, fieldOf) {
		return false
	}
	for i := range dp.slots {
		if e := dp.slots[i].expr; e != nil && !e.eval(message, fields, fieldOf) {
			return false
		}
	}
	return true
}

func (e *dexpr) eval(message string, fields []span, fieldOf []int) bool {
	switch {
	case e.cond != nil:
		f := fieldOf[e.cond.slot]
		if f < 0 {
			return false
		}
		return e.cond.test(message[fields[f].start:fields[f].end])
	case e.and != nil:
		for _, k := range e.and {
			if !k.eval(message, fields, fieldOf) {
				return false
			}
		}
		return true
	default:
		for _, k := range e.or {
			if k.eval(message, fields, fieldOf) {
				return true
			}
		}
		return false
	}
}

func (c *dcond) test(field string) bool {
	switch c.op {
	case opAny:
		return true
	}
	if c.val.kind == operandNumber {
		f, ok := parseNumber(field)
		if !ok {
			return false
		}
		return compareNumber(c.op, f, c.val.num)
	}
	eq := c.val.matchString(field)
	if c.op == opNe {
		return !eq
	}
	return eq
}

// field returns the value of the field named name in message.
func (dp *delimPattern) field(message, name string) (string, bool) {
	slot := -1
	for i := range dp.slots {
		if dp.slots[i].name == name {
			slot = i
		}
	}
	if slot < 0 {
		return "", false
	}
	var fbuf [maxStackFields]span
	fields := splitFields(message, fbuf[:0])
	fieldOf := make([]int, len(dp.slots))
	if !dp.align(fields, fieldOf) {
		return "", false
	}
	f := fieldOf[slot]
	return message[fields[f].start:fields[f].end], true
}

// extract names every field of a message that fits the pattern.
func (dp *delimPattern) extract(message string) map[string]string {
	fields := splitFields(message, nil)
	fieldOf := make([]int, len(dp.slots))
	if !dp.align(fields, fieldOf) {
		return nil
	}
	out := map[string]string{}
	named := make([]bool, len(fields))
	for i, sl := range dp.slots {
		f := fieldOf[i]
		if f < 0 || sl.name == "" {
			continue
		}
		out["$"+sl.name] = message[fields[f].start:fields[f].end]
		named[f] = true
	}
	for f := range fields {
		if !named[f] {
			out["$"+strconv.Itoa(f+1)] = message[fields[f].start:fields[f].end]
		}
	}
	return out
}
